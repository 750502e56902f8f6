package dev.trendlake.pipeline.warehouse;

/** The two SQL dialects the star schema is written for. Redshift speaks the PostgreSQL protocol. */
public enum Dialect {
  POSTGRES,
  REDSHIFT;

  /** The dialect of a JDBC URL, or null when it is neither. */
  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:postgresql://")) {
      return POSTGRES;
    }
    if (jdbcUrl.startsWith("jdbc:redshift://")) {
      return REDSHIFT;
    }
    return null;
  }
}
