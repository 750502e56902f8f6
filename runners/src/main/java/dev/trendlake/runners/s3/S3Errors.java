package dev.trendlake.runners.s3;

import dev.trendlake.pipeline.s3.S3StoreOptions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 errors in a user's words: what failed, where, and what to do. No message ever contains a key:
 * S3's answers for bad credentials are reduced to their error code.
 */
public final class S3Errors {
  private S3Errors() {}

  /**
   * One clear sentence for an S3 error anywhere in {@code failure}'s causes, or empty when the
   * failure did not come from S3. {@code buckets} are the buckets the run uses, named in the
   * message when the error itself does not say which.
   */
  public static Optional<String> describeFailure(
      Throwable failure, S3StoreOptions o, List<String> buckets) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SdkException e) {
        String bucket = String.join("', '", buckets);
        return Optional.of(
            explain(e, S3Region.describeEndpoint(o), bucket, "use bucket(s) '" + bucket + "'"));
      }
    }
    return Optional.empty();
  }

  /** Errors that any bucket on the same store would give too: no need to ask twice. */
  static boolean storeWide(SdkException e) {
    if (e instanceof SdkClientException) {
      return true;
    }
    String code = code(e);
    return "InvalidAccessKeyId".equals(code)
        || "SignatureDoesNotMatch".equals(code)
        || "ExpiredToken".equals(code)
        || "InvalidToken".equals(code);
  }

  private static String code(SdkException e) {
    if (e instanceof S3Exception s && s.awsErrorDetails() != null) {
      return s.awsErrorDetails().errorCode();
    }
    return null;
  }

  /** The explanation of {@code e} for a user: what failed, where, and what to do. */
  public static String explain(SdkException e, String endpoint, String bucket, String doing) {
    String at = bucket == null ? " at " + endpoint : " for bucket '" + bucket + "' at " + endpoint;
    if (e instanceof S3Exception s) {
      String code = code(s);
      int status = s.statusCode();
      if ("NoSuchBucket".equals(code) || (status == 404 && code == null)) {
        return "bucket '"
            + bucket
            + "' does not exist at "
            + endpoint
            + " (while trying to "
            + doing
            + ")";
      }
      if ("InvalidAccessKeyId".equals(code)) {
        return "the store rejected the access key (InvalidAccessKeyId)"
            + at
            + ": check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or"
            + " --awsCredentialsProvider)";
      }
      if ("SignatureDoesNotMatch".equals(code)) {
        return "the store rejected the secret key (SignatureDoesNotMatch)"
            + at
            + ": the secret does not belong to the access key in use";
      }
      if ("ExpiredToken".equals(code)
          || "InvalidToken".equals(code)
          || "TokenRefreshRequired".equals(code)) {
        return "the session credentials are expired or invalid ("
            + code
            + ")"
            + at
            + ": refresh them";
      }
      Optional<String> region =
          s.awsErrorDetails() == null || s.awsErrorDetails().sdkHttpResponse() == null
              ? Optional.empty()
              : s.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
      if (status == 301
          || "PermanentRedirect".equals(code)
          || "AuthorizationHeaderMalformed".equals(code)) {
        return "bucket '"
            + bucket
            + "' is in another region"
            + region.map(r -> " (" + r + ")").orElse("")
            + " than the one in use at "
            + endpoint
            + ": set --awsRegion"
            + region.map(r -> "=" + r).orElse("");
      }
      if (status == 403 || "AccessDenied".equals(code)) {
        return "access denied"
            + at
            + " while trying to "
            + doing
            + ": the credentials in use lack a permission (docs/s3.md lists the IAM actions the job"
            + " needs)";
      }
      return "the store answered "
          + status
          + (code == null ? "" : " " + code)
          + at
          + " while trying to "
          + doing
          + (s.awsErrorDetails() == null || s.awsErrorDetails().errorMessage() == null
              ? ""
              : ": " + s.awsErrorDetails().errorMessage());
    }
    String m = String.valueOf(e.getMessage());
    if (m.contains("Unable to load region")) {
      return "no AWS region is set: pass --awsRegion=<region> or set AWS_REGION (any region, e.g."
          + " us-east-1, works for MinIO and most S3-compatible stores)";
    }
    if (m.contains("Unable to load credentials")) {
      return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
          + " AWS_PROFILE, or run with an instance, task or web-identity role";
    }
    return "cannot reach the S3 store at "
        + endpoint
        + (bucket == null ? "" : " (bucket '" + bucket + "')")
        + " while trying to "
        + doing
        + ": "
        + rootCause(e);
  }

  static String shortReason(SdkException e) {
    String code = code(e);
    return code != null ? code : rootCause(e);
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.toLowerCase(Locale.ROOT).contains("secret") ? t.getClass().getSimpleName() : m;
  }
}
