package dev.trendlake.pipeline.warehouse;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything a worker needs to reach the warehouse, and nothing secret: the JDBC URL (checked to
 * carry no password), the user, the schema, where the password comes from, and the load method. It
 * travels inside the graph, so it is {@link Serializable}; the password is resolved by {@link
 * #connect()} on the worker.
 */
public record WarehouseTarget(
    Dialect dialect,
    String url,
    String user,
    String schema,
    String secretArn,
    LoadMethod load,
    String copyRoleArn,
    int attempts,
    long backoffMillis)
    implements Serializable {

  /** How staging tables are filled. */
  public enum LoadMethod {
    /** PostgreSQL: COPY FROM STDIN (pgjdbc CopyManager); Redshift: batched INSERTs. */
    JDBC,
    /** Redshift only: COPY FROM the gold Parquet in S3. */
    COPY
  }

  private static final Pattern HOST_DB =
      Pattern.compile("^jdbc:[a-z]+://([^/?]*@)?([^/:?]+)(:\\d+)?(/([^?;]*))?.*$");

  public WarehouseTarget {
    Sql.identifier("--warehouseSchema", schema);
    if (dialect == null) {
      throw new IllegalArgumentException(
          "--warehouse must be a jdbc:postgresql:// or jdbc:redshift:// URL");
    }
    if (load == LoadMethod.COPY && dialect != Dialect.REDSHIFT) {
      throw new IllegalArgumentException("--warehouseLoad=copy needs a jdbc:redshift:// warehouse");
    }
    if (load == LoadMethod.COPY) {
      Sql.roleArn(copyRoleArn);
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("--warehouseAttempts must be at least 1");
    }
  }

  public String host() {
    Matcher m = HOST_DB.matcher(url);
    return m.matches() ? m.group(2) + (m.group(3) == null ? "" : m.group(3)) : "?";
  }

  public String database() {
    Matcher m = HOST_DB.matcher(url);
    return m.matches() && m.group(5) != null && !m.group(5).isEmpty() ? m.group(5) : "(default)";
  }

  /** How messages name this warehouse: host, port and database, nothing else. */
  public String describe() {
    return "host " + host() + ", database " + database();
  }

  /** The load's SQL of {@code star} for this warehouse's dialect and schema. */
  public StarSql sql(Star star) {
    return new StarSql(dialect, schema, star);
  }

  /**
   * Opens a connection, auto-commit off. Redshift connections use TLS unless the URL itself says
   * otherwise. Failures come back as {@link SQLException} with the driver's SQL state (so {@link
   * WarehouseRetry} can tell a lost connection from a bad statement); callers scrub messages.
   */
  public Connection connect() throws SQLException {
    Passwords.Credentials cred = Passwords.resolve(user, secretArn);
    Properties p = new Properties();
    if (cred.user() != null) {
      p.setProperty("user", cred.user());
    }
    if (cred.password() != null) {
      p.setProperty("password", cred.password());
    }
    p.setProperty("ApplicationName", "trendlake");
    Driver driver;
    if (dialect == Dialect.POSTGRES) {
      p.setProperty("reWriteBatchedInserts", "true");
      p.setProperty("connectTimeout", "10");
      p.setProperty("tcpKeepAlive", "true");
      driver = new org.postgresql.Driver();
    } else {
      if (!url.toLowerCase(java.util.Locale.ROOT).contains("ssl")) {
        p.setProperty("ssl", "true");
        p.setProperty("sslmode", "verify-full");
      }
      p.setProperty("loginTimeout", "10");
      driver = new com.amazon.redshift.Driver();
    }
    Connection c = driver.connect(url, p);
    if (c == null) {
      throw new SQLException("the driver does not accept this URL", "08001");
    }
    c.setAutoCommit(false);
    return c;
  }
}
