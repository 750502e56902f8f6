package dev.trendlake.pipeline.warehouse;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * What the warehouse options ask for, checked: {@code kind} is none, embedded or jdbc. The embedded
 * server and its URL exist only once the launcher has started it ({@link #target(String)}); a JDBC
 * warehouse is a {@link WarehouseTarget} at once.
 */
public record WarehousePlan(
    String kind,
    String url,
    String user,
    String schema,
    String secretArn,
    WarehouseTarget.LoadMethod load,
    String copyRoleArn,
    int attempts)
    implements Serializable {

  /** The user of the embedded server: trust authentication on localhost, so no password. */
  public static final String EMBEDDED_USER = "postgres";

  private static final long BACKOFF_MILLIS = 500;

  public static WarehousePlan none() {
    return new WarehousePlan(
        "none", null, null, "trendlake", null, WarehouseTarget.LoadMethod.JDBC, null, 1);
  }

  public boolean enabled() {
    return !kind.equals("none");
  }

  public boolean embedded() {
    return kind.equals("embedded");
  }

  /** What the manifest and the logs may show: never a password, never a URL query string. */
  public String shown() {
    return kind.equals("jdbc") ? Secrets.displayUrl(url) : kind;
  }

  /**
   * The target of a JDBC plan, or of the embedded server listening at {@code embeddedUrl} (ignored
   * for a JDBC plan).
   */
  public WarehouseTarget target(String embeddedUrl) {
    if (embedded()) {
      return new WarehouseTarget(
          Dialect.POSTGRES,
          embeddedUrl,
          user != null ? user : EMBEDDED_USER,
          schema,
          null,
          WarehouseTarget.LoadMethod.JDBC,
          null,
          attempts,
          BACKOFF_MILLIS);
    }
    return new WarehouseTarget(
        Dialect.of(url), url, user, schema, secretArn, load, copyRoleArn, attempts, BACKOFF_MILLIS);
  }

  /**
   * Checks the warehouse options and adds every problem, in words, to {@code problems}. {@code
   * warehouse} null means the default: embedded for a local output, none for an object store.
   */
  public static WarehousePlan check(
      String warehouse,
      String user,
      String schema,
      String secretArn,
      String loadMethod,
      String copyRoleArn,
      int attempts,
      String output,
      boolean outputIsLocal,
      List<String> problems) {
    String w = warehouse == null ? (outputIsLocal ? "embedded" : "none") : warehouse.trim();
    String kind;
    if (w.equals("none") || w.equals("embedded")) {
      kind = w;
    } else if (Dialect.of(w) != null) {
      kind = "jdbc";
      String lower = w.toLowerCase(Locale.ROOT);
      if (lower.contains("password=")
          || lower.contains("pwd=")
          || w.substring(w.indexOf("://") + 3).split("[/?]")[0].contains("@")) {
        problems.add(
            "--warehouse must not carry a password or user info: pass the user with"
                + " --warehouseUser and the password in "
                + Passwords.ENV
                + " or with --warehouseSecretArn");
      }
    } else {
      problems.add(
          "--warehouse must be none, embedded, or a jdbc:postgresql:// or jdbc:redshift:// URL"
              + " (got '"
              + Secrets.displayUrl(w)
              + "')");
      kind = "none";
    }
    if (!Sql.isIdentifier(schema)) {
      problems.add(
          "--warehouseSchema '"
              + schema
              + "' is not a valid name: use lower-case letters, digits and '_', starting with a"
              + " letter or '_', at most 63 characters");
    }
    WarehouseTarget.LoadMethod load = WarehouseTarget.LoadMethod.JDBC;
    String l = loadMethod == null ? "jdbc" : loadMethod.toLowerCase(Locale.ROOT);
    if (l.equals("copy")) {
      load = WarehouseTarget.LoadMethod.COPY;
      if (!w.startsWith("jdbc:redshift://")) {
        problems.add(
            "--warehouseLoad=copy needs a jdbc:redshift:// warehouse (PostgreSQL cannot read"
                + " Parquet from S3)");
      }
      if (!output.startsWith("s3://")) {
        problems.add(
            "--warehouseLoad=copy needs an s3:// --output: Redshift COPY reads the gold Parquet"
                + " from S3");
      }
      try {
        Sql.roleArn(copyRoleArn);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    } else if (!l.equals("jdbc")) {
      problems.add("--warehouseLoad must be jdbc or copy (got '" + loadMethod + "')");
    }
    if (kind.equals("embedded") && !outputIsLocal) {
      problems.add(
          "--warehouse=embedded keeps its data under <output>/warehouse and needs a local"
              + " --output: use --warehouse=none or a JDBC URL with an s3:// output");
    }
    return new WarehousePlan(
        kind,
        kind.equals("jdbc") ? w : null,
        user,
        schema,
        secretArn,
        load,
        copyRoleArn,
        Math.max(1, attempts));
  }
}
