package dev.trendlake.pipeline.warehouse;

import java.util.Locale;

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

  /**
   * A column's type in this dialect. Free text is {@code text} on PostgreSQL; Redshift has no
   * unbounded text, so it gets the column's length.
   */
  public String type(StarSchema.Column c) {
    String t =
        switch (c.kind()) {
          case VARCHAR -> "varchar(" + c.length() + ")";
          case TEXT -> this == POSTGRES ? "text" : "varchar(" + c.length() + ")";
          case DOUBLE -> "double precision";
          default -> c.kind().name().toLowerCase(Locale.ROOT);
        };
    return this == POSTGRES ? t : t.toUpperCase(Locale.ROOT);
  }
}
