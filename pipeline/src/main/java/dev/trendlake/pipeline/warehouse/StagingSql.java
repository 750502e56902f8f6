package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.Column;
import dev.trendlake.pipeline.warehouse.StarSchema.RunTables;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements that fill the run's staging tables ({@link FactStager}): the COPY or INSERT of the
 * staged rows, and the batch table that records which partitions an attempt staged, so a retried
 * bundle replaces its rows instead of adding to them; and the count the merge checks the staged
 * rows against.
 */
final class StagingSql {
  private final StarSql sql;
  private final Star star;

  StagingSql(StarSql sql) {
    this.sql = sql;
    this.star = sql.star();
  }

  /** PostgreSQL COPY protocol into the fact staging table (text format, \N for null). */
  String copyStageFactFromStdin(RunTables r) {
    return copyFromStdin(r.stageFact, names(star.stageFact()));
  }

  String insertStageFact(RunTables r) {
    return sql.insertInto(r.stageFact, names(star.stageFact()));
  }

  /** PostgreSQL COPY protocol into the star's {@code index}-th other staged table. */
  String copyStagedFromStdin(RunTables r, int index) {
    Star.Staged t = star.staged().get(index);
    return copyFromStdin(r.named(t.prefix()), names(t.columns()));
  }

  String insertStaged(RunTables r, int index) {
    Star.Staged t = star.staged().get(index);
    return sql.insertInto(r.named(t.prefix()), names(t.columns()));
  }

  private String copyFromStdin(String table, List<String> columns) {
    return "COPY " + sql.q(table) + " (" + String.join(", ", columns) + ") FROM STDIN";
  }

  private static List<String> names(List<Column> columns) {
    return columns.stream().map(Column::name).toList();
  }

  /** Which of {@code count} batch ids an earlier attempt has staged. */
  String stagedBatches(RunTables r, int count) {
    return "SELECT batch_id FROM "
        + sql.q(r.stageBatch)
        + " WHERE batch_id IN "
        + StarSql.marks(count);
  }

  /** Removes what an earlier attempt staged of {@code count} batch ids: its rows, its record. */
  List<String> deleteBatches(RunTables r, int count) {
    List<String> out = new ArrayList<>();
    for (String t : r.staged()) {
      out.add("DELETE FROM " + sql.q(t) + " WHERE batch_id IN " + StarSql.marks(count));
    }
    out.add("DELETE FROM " + sql.q(r.stageBatch) + " WHERE batch_id IN " + StarSql.marks(count));
    return out;
  }

  String insertBatch(RunTables r) {
    return sql.insertInto(r.stageBatch, names(star.stageBatch()));
  }

  /** The staged fact rows, which the merge checks against the rows the run staged. */
  String countStaged(RunTables r) {
    return "SELECT COUNT(*) FROM " + sql.q(r.stageFact);
  }
}
