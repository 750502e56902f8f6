package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.RunTables;
import java.util.List;
import java.util.StringJoiner;

/**
 * Where one dataset's {@link Star} is loaded: the {@link Dialect}, the schema name and the star,
 * and how a table of the schema is named in SQL. The statements themselves are written by the part
 * of the load they belong to, each from a {@code StarSql}: {@link StarDdl} creates and drops the
 * tables, {@link StagingSql} fills staging, {@link SourceSql} and {@link InferredMemberSql} fill
 * the run's sources, {@link MergeSql} changes the star, and {@link StarKeys} handles its keys and
 * first load. None of them touches a connection, so the Redshift statements are unit-tested without
 * a Redshift. Names reach the text only through {@link Sql#identifier}; the star's table and column
 * names are the code's own constants.
 */
public final class StarSql {
  private final Dialect dialect;
  private final String schema;
  private final Star star;

  /** The statements of YouTube's star (the default dataset's). */
  public StarSql(Dialect dialect, String schema) {
    this(dialect, schema, YouTubeStar.INSTANCE);
  }

  public StarSql(Dialect dialect, String schema, Star star) {
    this.dialect = dialect;
    this.schema = Sql.identifier("--warehouseSchema", schema);
    this.star = star;
  }

  public Dialect dialect() {
    return dialect;
  }

  public Star star() {
    return star;
  }

  /** This run's tables of the star. */
  public RunTables runTables(String runId) {
    return StarSchema.runTables(star, runId);
  }

  public String schema() {
    return schema;
  }

  /** A table of the schema, qualified. */
  public String q(String table) {
    return schema + "." + Sql.identifier("table", table);
  }

  /** A parameterised INSERT of one row into a table of the schema. */
  public String insertInto(String table, List<String> columns) {
    return "INSERT INTO "
        + q(table)
        + " ("
        + String.join(", ", columns)
        + ") VALUES "
        + marks(columns.size());
  }

  /** {@code (?, ?, ...)}: {@code count} parameters. */
  static String marks(int count) {
    StringJoiner marks = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < count; i++) {
      marks.add("?");
    }
    return marks.toString();
  }
}
