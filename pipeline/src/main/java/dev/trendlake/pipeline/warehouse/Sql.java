package dev.trendlake.pipeline.warehouse;

import java.util.regex.Pattern;

/**
 * The only ways a name or a literal reaches SQL text. Values are bound parameters everywhere; what
 * cannot be bound (identifiers, and the S3 path and IAM role of a Redshift COPY) is checked here
 * against a strict pattern first.
 */
public final class Sql {
  private Sql() {}

  private static final Pattern IDENTIFIER = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");
  private static final Pattern S3_PREFIX =
      Pattern.compile("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9_.=/-]*)?$");
  private static final Pattern ROLE_ARN =
      Pattern.compile("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$");

  public static boolean isIdentifier(String name) {
    return name != null && IDENTIFIER.matcher(name).matches();
  }

  /** Returns {@code name} if it is a safe identifier, else throws naming what it is. */
  public static String identifier(String what, String name) {
    if (!isIdentifier(name)) {
      throw new IllegalArgumentException(
          what
              + " '"
              + name
              + "' is not a valid name: use lower-case letters, digits and '_', starting with a"
              + " letter or '_', at most 63 characters");
    }
    return name;
  }

  /** An S3 prefix checked so that it can sit between single quotes in a COPY statement. */
  public static String s3Prefix(String prefix) {
    if (prefix == null || !S3_PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "'" + prefix + "' is not an S3 prefix COPY can read (s3://bucket/path)");
    }
    return prefix;
  }

  /** An IAM role ARN checked so that it can sit between single quotes in a COPY statement. */
  public static String roleArn(String arn) {
    if (arn == null || !ROLE_ARN.matcher(arn).matches()) {
      throw new IllegalArgumentException(
          "--redshiftCopyRoleArn '"
              + arn
              + "' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
    }
    return arn;
  }
}
