package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.Column;
import dev.trendlake.pipeline.warehouse.StarSchema.RunTables;
import dev.trendlake.pipeline.warehouse.StarSchema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The DDL of a load: the schema and the star's tables, created if absent (with Redshift's
 * distribution and sort keys), and the run's own staging and source tables, created empty and
 * dropped when the run is merged. A change to how the warehouse is laid out on disk lands here.
 */
final class StarDdl {
  private final StarSql sql;
  private final Star star;

  StarDdl(StarSql sql) {
    this.sql = sql;
    this.star = sql.star();
  }

  String createSchema() {
    return "CREATE SCHEMA IF NOT EXISTS " + sql.schema();
  }

  /** CREATE TABLE IF NOT EXISTS for a star-schema table, with DIST/SORT keys on Redshift. */
  String createTable(Table t) {
    StringJoiner cols = new StringJoiner(",\n  ", "(\n  ", "");
    for (Column col : t.columns()) {
      cols.add(col.name() + " " + sql.dialect().type(col) + (col.nullable() ? "" : " NOT NULL"));
    }
    cols.add(primaryKey(t));
    String ddl = "CREATE TABLE IF NOT EXISTS " + sql.q(t.name()) + " " + cols + "\n)";
    if (sql.dialect() == Dialect.REDSHIFT) {
      ddl +=
          "\n"
              + (t.distKey() == null ? "DISTSTYLE ALL" : "DISTKEY (" + t.distKey() + ")")
              + "\n"
              + (t.sortKey().size() > 1 ? "COMPOUND SORTKEY (" : "SORTKEY (")
              + String.join(", ", t.sortKey())
              + ")";
    }
    return ddl;
  }

  /**
   * The primary key, named as PostgreSQL names an unnamed one ({@code <table>_pkey}), so tables
   * created before it was named carry the same name and a first load can drop and re-add it.
   */
  static String primaryKey(Table t) {
    return "CONSTRAINT " + t.name() + "_pkey PRIMARY KEY (" + String.join(", ", t.key()) + ")";
  }

  List<String> createAll() {
    List<String> out = new ArrayList<>();
    out.add(createSchema());
    for (Table t : star.tables()) {
      out.add(createTable(t));
    }
    return out;
  }

  private String createPlain(String name, List<Column> columns, String redshiftTail) {
    return createPlain(name, columns, null, redshiftTail);
  }

  /**
   * A run table; {@code pgKey}, when not null, its primary key on PostgreSQL (which enforces it).
   */
  private String createPlain(String name, List<Column> columns, String pgKey, String redshiftTail) {
    StringJoiner cols = new StringJoiner(", ", "(", ")");
    for (Column col : columns) {
      cols.add(col.name() + " " + sql.dialect().type(col));
    }
    if (pgKey != null && sql.dialect() == Dialect.POSTGRES) {
      cols.add("PRIMARY KEY (" + pgKey + ")");
    }
    // PostgreSQL: UNLOGGED (no WAL) because staging is disposable: after a server crash it is
    // empty, the staged-count check in the merge fails, and the next run stages again
    return (sql.dialect() == Dialect.POSTGRES ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ")
        + sql.q(name)
        + " "
        + cols
        + (sql.dialect() == Dialect.REDSHIFT ? " " + redshiftTail : "");
  }

  /** The per-run staging and source tables; dropped first so a reused run id starts clean. */
  List<String> createRunTables(RunTables r) {
    List<String> out = new ArrayList<>(dropRunTables(r));
    out.add(
        createPlain(
            r.stageFact,
            star.stageFact(),
            "DISTKEY (" + star.fact().distKey() + ") SORTKEY (batch_id)"));
    // the key makes PostgreSQL refuse a second, concurrent staging of one partition (a zombie
    // bundle) instead of doubling its rows; the failed bundle's retry then replaces the first
    out.add(createPlain(r.stageBatch, star.stageBatch(), "batch_id", "DISTSTYLE ALL"));
    for (Star.Staged t : star.staged()) {
      out.add(createPlain(r.named(t.prefix()), t.columns(), t.redshiftTail()));
    }
    for (Star.Source src : star.sources()) {
      Table t = src.table();
      out.add(
          createPlain(
              r.named(src.prefix()),
              t.columns(),
              t.distKey() == null ? "DISTSTYLE ALL" : "DISTKEY (" + t.distKey() + ")"));
    }
    return out;
  }

  List<String> dropRunTables(RunTables r) {
    return r.all().stream().map(t -> "DROP TABLE IF EXISTS " + sql.q(t)).toList();
  }
}
