package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.RunTables;
import dev.trendlake.pipeline.warehouse.StarSchema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The statements of the merge transaction that change the loaded star ({@link StarMerge}): the
 * facts and list rows this run replaces are deleted, each merged table takes the run's rows by one
 * MERGE, and the {@code load_run} row that commits with them makes a repeated run a no-op. How the
 * loaded star is changed in place, on each engine, is decided here.
 */
final class MergeSql {
  private final StarSql sql;
  private final Star star;

  MergeSql(StarSql sql) {
    this.sql = sql;
    this.star = sql.star();
  }

  /**
   * The facts of the staged partitions that the staged rows no longer hold: a partition the lake
   * rewrote is the whole truth for its (group, day), so a row it dropped (a retracted file, a
   * better duplicate from another row) leaves the warehouse too.
   */
  String deleteReplacedFacts(String source) {
    String f = star.fact().name();
    String g = star.groupColumn();
    String same = "s." + g + " = " + f + "." + g + " AND s.date_key = " + f + ".date_key";
    return "DELETE FROM "
        + sql.q(f)
        + " WHERE EXISTS (SELECT 1 FROM "
        + sql.q(source)
        + " s WHERE "
        + same
        + ") AND NOT EXISTS (SELECT 1 FROM "
        + sql.q(source)
        + " s WHERE "
        + same
        + " AND s."
        + star.rowKey()
        + " = "
        + f
        + "."
        + star.rowKey()
        + ")";
  }

  /** The facts of one (group, day) partition the lake removed. */
  String deletePartitionFacts() {
    return "DELETE FROM "
        + sql.q(star.fact().name())
        + " WHERE "
        + star.groupColumn()
        + " = ? AND date_key = ?";
  }

  /**
   * Before a list attribute is merged into a loaded star: the loaded rows of each key whose version
   * this run wins (its latest day is not older than the loaded one's) and that the run's rows no
   * longer hold are deleted, and the run's rows of each key whose loaded version is newer are
   * dropped from the source. The merge then adds and updates the rest, so the table holds the list
   * of the version the owner's attributes come from.
   */
  List<String> replaceLists(RunTables r) {
    List<String> out = new ArrayList<>();
    for (Star.ListOf l : star.sources(Star.ListOf.class).toList()) {
      Table t = l.table();
      Table owner = l.owner().table();
      String key = owner.key().get(0);
      String src = sql.q(r.named(l.prefix()));
      String ownerSrc = sql.q(r.named(l.owner().prefix()));
      StringJoiner same = new StringJoiner(" AND ");
      for (String c : t.columnNames()) {
        same.add("x." + c + " = " + t.name() + "." + c);
      }
      String ownerTable = sql.q(owner.name());
      out.add(
          "DELETE FROM "
              + sql.q(t.name())
              + " WHERE "
              + ownersVersion(ownerSrc, ownerTable, key, t.name(), ">=")
              + " AND NOT EXISTS (SELECT 1 FROM "
              + src
              + " x WHERE "
              + same
              + ")");
      out.add(
          "DELETE FROM " + src + " WHERE " + ownersVersion(ownerSrc, ownerTable, key, src, "<"));
    }
    return out;
  }

  /**
   * {@code EXISTS} a staged owner of {@code row} whose latest date compares with the owner's row in
   * the star as {@code compare} says: whether this run's list of the owner wins ({@code >=}) or
   * loses ({@code <}) against what the star holds.
   */
  private static String ownersVersion(
      String ownerSrc, String ownerTable, String key, String row, String compare) {
    return "EXISTS (SELECT 1 FROM "
        + ownerSrc
        + " s JOIN "
        + ownerTable
        + " d ON d."
        + key
        + " = s."
        + key
        + " WHERE s."
        + key
        + " = "
        + row
        + "."
        + key
        + " AND s.last_date_key "
        + compare
        + " d.last_date_key)";
  }

  /** One MERGE per merged table, in load order (dimensions first, then the fact). */
  List<String> merges(RunTables r) {
    return star.merged().stream().map(t -> merge(t, r.sourceOf(t))).toList();
  }

  /**
   * {@code MERGE INTO target USING source}: the portable subset of PostgreSQL 15+ and Redshift
   * (source is a table, target columns unqualified in SET). With {@link Table#latestWins} the table
   * keeps the attributes of the most recent trending day ({@code last_date_key}), so a run over
   * older data never overwrites newer attributes. On PostgreSQL an unchanged row is not rewritten
   * (so a repeated run reports 0 rows merged); Redshift has no conditional WHEN MATCHED and
   * rewrites equal values.
   */
  String merge(Table t, String source) {
    String target = t.name();
    StringJoiner on = new StringJoiner(" AND ");
    for (String k : t.key()) {
      on.add(target + "." + k + " = src." + k);
    }
    List<String> names = new ArrayList<>(t.updated());
    if (t.latestWins()) {
      names.add("last_date_key");
    }
    List<String> exprs = new ArrayList<>();
    for (String u : names) {
      exprs.add(
          t.latestWins()
              ? "CASE WHEN src.last_date_key >= "
                  + target
                  + ".last_date_key THEN src."
                  + u
                  + " ELSE "
                  + target
                  + "."
                  + u
                  + " END"
              : "src." + u);
    }
    List<String> sets = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      sets.add(names.get(i) + " = " + exprs.get(i));
    }
    StringBuilder merge =
        new StringBuilder(
            "MERGE INTO " + sql.q(target) + " USING " + sql.q(source) + " AS src ON " + on);
    if (sql.dialect() == Dialect.POSTGRES) {
      if (!sets.isEmpty()) {
        StringJoiner changed = new StringJoiner(" OR ", "(", ")");
        for (int i = 0; i < names.size(); i++) {
          changed.add(target + "." + names.get(i) + " IS DISTINCT FROM (" + exprs.get(i) + ")");
        }
        merge
            .append("\nWHEN MATCHED AND ")
            .append(changed)
            .append(" THEN UPDATE SET ")
            .append(String.join(", ", sets));
      }
    } else {
      if (sets.isEmpty()) {
        sets.add(t.key().get(0) + " = src." + t.key().get(0));
      }
      merge.append("\nWHEN MATCHED THEN UPDATE SET ").append(String.join(", ", sets));
    }
    List<String> cols = t.columnNames();
    merge
        .append("\nWHEN NOT MATCHED THEN INSERT (")
        .append(String.join(", ", cols))
        .append(") VALUES (")
        .append(String.join(", ", cols.stream().map(x -> "src." + x).toList()))
        .append(")");
    return merge.toString();
  }

  /** The facts a run with this id already merged, if it did (parameter: the run id). */
  String loadRunExists() {
    return "SELECT fact_rows FROM " + sql.q(StarSchema.LOAD_RUN.name()) + " WHERE run_id = ?";
  }

  String deleteLoadRun() {
    return "DELETE FROM " + sql.q(StarSchema.LOAD_RUN.name()) + " WHERE run_id = ?";
  }

  String insertLoadRun() {
    return sql.insertInto(StarSchema.LOAD_RUN.name(), StarSchema.LOAD_RUN.columnNames());
  }
}
