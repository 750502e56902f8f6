package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.RunTables;
import dev.trendlake.pipeline.warehouse.StarSchema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Every SQL statement the load runs, written from one dataset's {@link Star} for one {@link
 * Dialect} and one schema name. Nothing here touches a connection, so the Redshift statements are
 * unit-tested without a Redshift. Names reach the text only through {@link Sql#identifier}; the
 * star's table and column names are the code's own constants.
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

  /**
   * Before a list attribute is merged into a loaded star: the loaded rows of each key whose version
   * this run wins (its latest day is not older than the loaded one's) and that the run's rows no
   * longer hold are deleted, and the run's rows of each key whose loaded version is newer are
   * dropped from the source. The merge then adds and updates the rest, so the table holds the list
   * of the version the owner's attributes come from.
   */
  public List<String> replaceLists(RunTables r) {
    List<String> out = new ArrayList<>();
    for (Star.ListOf l : star.sources(Star.ListOf.class).toList()) {
      Table t = l.table();
      Table owner = l.owner().table();
      String key = owner.key().get(0);
      String src = q(r.named(l.prefix()));
      String ownerSrc = q(r.named(l.owner().prefix()));
      StringJoiner same = new StringJoiner(" AND ");
      for (String c : t.columnNames()) {
        same.add("x." + c + " = " + t.name() + "." + c);
      }
      out.add(
          "DELETE FROM "
              + q(t.name())
              + " WHERE EXISTS (SELECT 1 FROM "
              + ownerSrc
              + " s JOIN "
              + q(owner.name())
              + " d ON d."
              + key
              + " = s."
              + key
              + " WHERE s."
              + key
              + " = "
              + t.name()
              + "."
              + key
              + " AND s.last_date_key >= d.last_date_key) AND NOT EXISTS (SELECT 1 FROM "
              + src
              + " x WHERE "
              + same
              + ")");
      out.add(
          "DELETE FROM "
              + src
              + " WHERE EXISTS (SELECT 1 FROM "
              + ownerSrc
              + " s JOIN "
              + q(owner.name())
              + " d ON d."
              + key
              + " = s."
              + key
              + " WHERE s."
              + key
              + " = "
              + src
              + "."
              + key
              + " AND s.last_date_key < d.last_date_key)");
    }
    return out;
  }

  /** One MERGE per merged table, in load order (dimensions first, then the fact). */
  public List<String> merges(RunTables r) {
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
  public String merge(Table t, String source) {
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
    StringBuilder sql =
        new StringBuilder("MERGE INTO " + q(target) + " USING " + q(source) + " AS src ON " + on);
    if (dialect == Dialect.POSTGRES) {
      if (!sets.isEmpty()) {
        StringJoiner changed = new StringJoiner(" OR ", "(", ")");
        for (int i = 0; i < names.size(); i++) {
          changed.add(target + "." + names.get(i) + " IS DISTINCT FROM (" + exprs.get(i) + ")");
        }
        sql.append("\nWHEN MATCHED AND ")
            .append(changed)
            .append(" THEN UPDATE SET ")
            .append(String.join(", ", sets));
      }
    } else {
      if (sets.isEmpty()) {
        sets.add(t.key().get(0) + " = src." + t.key().get(0));
      }
      sql.append("\nWHEN MATCHED THEN UPDATE SET ").append(String.join(", ", sets));
    }
    List<String> cols = t.columnNames();
    sql.append("\nWHEN NOT MATCHED THEN INSERT (")
        .append(String.join(", ", cols))
        .append(") VALUES (")
        .append(String.join(", ", cols.stream().map(x -> "src." + x).toList()))
        .append(")");
    return sql.toString();
  }

  // ---------------------------------------------------------------- load_run

  public String loadRunExists() {
    return "SELECT fact_rows FROM " + q(StarSchema.LOAD_RUN.name()) + " WHERE run_id = ?";
  }

  /**
   * The facts of the staged partitions that the staged rows no longer hold: a partition the lake
   * rewrote is the whole truth for its (group, day), so a row it dropped (a retracted file, a
   * better duplicate from another row) leaves the warehouse too.
   */
  public String deleteReplacedFacts(String source) {
    String f = star.fact().name();
    String g = star.groupColumn();
    String same = "s." + g + " = " + f + "." + g + " AND s.date_key = " + f + ".date_key";
    return "DELETE FROM "
        + q(f)
        + " WHERE EXISTS (SELECT 1 FROM "
        + q(source)
        + " s WHERE "
        + same
        + ") AND NOT EXISTS (SELECT 1 FROM "
        + q(source)
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
  public String deletePartitionFacts() {
    return "DELETE FROM "
        + q(star.fact().name())
        + " WHERE "
        + star.groupColumn()
        + " = ? AND date_key = ?";
  }

  public String deleteLoadRun() {
    return "DELETE FROM " + q(StarSchema.LOAD_RUN.name()) + " WHERE run_id = ?";
  }

  public String insertLoadRun() {
    return insertInto(StarSchema.LOAD_RUN.name(), StarSchema.LOAD_RUN.columnNames());
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
