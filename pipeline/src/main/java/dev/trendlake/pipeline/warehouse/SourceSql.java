package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.RunTables;
import dev.trendlake.pipeline.warehouse.StarSchema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The statements that fill the run's source tables from the staged rows, one per merged table but
 * the fact ({@link Star#sources()}): which groups and days the run touches, the latest version of
 * each dimension row, and the list rows of that version. What a dimension row of the run is, and
 * which of its versions wins, is decided here.
 */
final class SourceSql {
  private final StarSql sql;
  private final Star star;

  SourceSql(StarSql sql) {
    this.sql = sql;
    this.star = sql.star();
  }

  /** The days the run staged, from which the calendar source is computed. */
  String distinctStagedDates(RunTables r) {
    return "SELECT DISTINCT date_key FROM " + sql.q(r.stageBatch);
  }

  /** Empties the source tables, so a retried merge fills them afresh. */
  List<String> clearSources(RunTables r) {
    return star.sources().stream()
        .map(src -> "DELETE FROM " + sql.q(r.named(src.prefix())))
        .toList();
  }

  /**
   * Fills the sources derived from the staged rows, in the star's order: the groups, one row per
   * key of each latest-wins dimension (the attributes of its latest day), and the rows of each list
   * attribute's winning version.
   */
  List<String> fillSources(RunTables r) {
    List<String> out = new ArrayList<>();
    for (Star.Source src : star.sources()) {
      if (src instanceof Star.Groups g) {
        String col = g.table().key().get(0);
        out.add(
            "INSERT INTO "
                + sql.q(r.named(g.prefix()))
                + " ("
                + col
                + ") SELECT "
                + col
                + " FROM "
                + sql.q(r.stageBatch)
                + " UNION SELECT "
                + col
                + " FROM "
                + sql.q(r.named(g.alsoFrom().prefix())));
      } else if (src instanceof Star.Latest l) {
        out.add(latestPerKey(r, r.named(l.prefix()), l.table(), l.tieBreak()));
      } else if (src instanceof Star.ListOf l) {
        out.add(listOfWinners(r, l));
      }
    }
    return out;
  }

  /**
   * The staged row of the latest day per key of {@code t}, ties broken by {@code tieBreak} (the
   * staged rows are unique by (region_code, video_id, date_key), so there is always one).
   *
   * <p>On PostgreSQL the sort picks row ids only ({@code DISTINCT ON} over narrow tuples), and the
   * winners are then fetched by id: sorting the whole wide rows cost most of the merge. Text is
   * compared byte by byte ({@code COLLATE "C"}), which is faster and the same order whatever the
   * database's locale. Redshift has neither row ids nor that collation, and sorts in parallel.
   */
  private String latestPerKey(RunTables r, String into, Table t, String tieBreak) {
    List<String> cols = t.columnNames();
    String attrs = String.join(", ", cols.subList(0, cols.size() - 1)) + ", date_key";
    String insert = "INSERT INTO " + sql.q(into) + " (" + String.join(", ", cols) + ")\nSELECT ";
    String key = t.key().get(0);
    if (sql.dialect() == Dialect.POSTGRES) {
      String k = bytewise(key);
      return insert
          + attrs
          + " FROM "
          + sql.q(r.stageFact)
          + " WHERE ctid = ANY (ARRAY(SELECT DISTINCT ON ("
          + k
          + ") ctid FROM "
          + sql.q(r.stageFact)
          + " ORDER BY "
          + k
          + ", date_key DESC, "
          + String.join(
              ", ", java.util.Arrays.stream(tieBreak.split(", ")).map(this::bytewise).toList())
          + "))";
    }
    return insert
        + attrs
        + " FROM (SELECT "
        + attrs
        + ", ROW_NUMBER() OVER (PARTITION BY "
        + key
        + " ORDER BY date_key DESC, "
        + tieBreak
        + ") AS rn FROM "
        + sql.q(r.stageFact)
        + ") x WHERE rn = 1";
  }

  /**
   * The staged rows of each key's winning version of a list attribute: the version (date_key and
   * tie-break columns) {@link #latestPerKey} takes the owner's attributes from, ranked the same
   * way.
   */
  private String listOfWinners(RunTables r, Star.ListOf l) {
    Table t = l.table();
    String key = l.owner().table().key().get(0);
    List<String> ties = java.util.Arrays.asList(l.owner().tieBreak().split(", "));
    String order =
        "date_key DESC, "
            + String.join(
                ", ",
                sql.dialect() == Dialect.POSTGRES
                    ? ties.stream().map(this::bytewise).toList()
                    : ties);
    StringJoiner same = new StringJoiner(" AND ");
    same.add("w." + key + " = b." + key).add("w.date_key = b.date_key");
    ties.forEach(c -> same.add("w." + c + " = b." + c));
    return "INSERT INTO "
        + sql.q(r.named(l.prefix()))
        + " ("
        + String.join(", ", t.columnNames())
        + ")\nSELECT "
        + String.join(", ", t.columnNames().stream().map(c -> "b." + c).toList())
        + " FROM "
        + sql.q(r.named(l.stagedPrefix()))
        + " b JOIN (SELECT "
        + key
        + ", date_key, "
        + String.join(", ", ties)
        + ", ROW_NUMBER() OVER (PARTITION BY "
        + key
        + " ORDER BY "
        + order
        + ") AS rn FROM "
        + sql.q(r.stageFact)
        + ") w ON "
        + same
        + " WHERE w.rn = 1";
  }

  /** A staged column as PostgreSQL should sort it: text byte by byte, numbers as they are. */
  private String bytewise(String column) {
    StarSchema.Kind kind =
        star.stageFact().stream()
            .filter(c -> c.name().equals(column))
            .findFirst()
            .orElseThrow()
            .kind();
    return kind == StarSchema.Kind.VARCHAR || kind == StarSchema.Kind.TEXT
        ? column + " COLLATE \"C\""
        : column;
  }
}
