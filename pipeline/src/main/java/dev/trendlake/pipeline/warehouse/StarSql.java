package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.Column;
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

  // ---------------------------------------------------------------- source tables and MERGE

  public String distinctStagedDates(RunTables r) {
    return "SELECT DISTINCT date_key FROM " + q(r.stageBatch);
  }

  /** Empties the source tables, so a retried merge fills them afresh. */
  public List<String> clearSources(RunTables r) {
    return star.sources().stream().map(src -> "DELETE FROM " + q(r.named(src.prefix()))).toList();
  }

  /**
   * Adds to a side source an inferred member ({@link Star.SideRows}) for each key the staged rows
   * use that neither this run's side rows nor the table hold, so every row that refers to the table
   * has its row. A real member is never overwritten by it.
   */
  public String addInferredMembers(RunTables r, Star.SideRows side) {
    Table t = side.table();
    String into = q(r.named(side.prefix()));
    String keys = String.join(", ", t.key());
    return "INSERT INTO "
        + into
        + " ("
        + String.join(", ", t.columnNames())
        + ")\nSELECT "
        + String.join(", ", inferredValues(side, "", t.key()))
        + " FROM (SELECT DISTINCT "
        + keys
        + " FROM "
        + q(r.named(side.inferredFrom()))
        + ") f WHERE NOT EXISTS (SELECT 1 FROM "
        + into
        + " c WHERE "
        + sameKey(t.key(), "c", t.key())
        + ")"
        + " AND NOT EXISTS (SELECT 1 FROM "
        + q(t.name())
        + " d WHERE "
        + sameKey(t.key(), "d", t.key())
        + ")";
  }

  /**
   * An inferred member's values in table order: the key from {@code f} (its columns {@code from},
   * with {@code prefix}), {@link Star.SideRows#unknownValue}, null for the rest.
   */
  static List<String> inferredValues(Star.SideRows side, String prefix, List<String> from) {
    Table t = side.table();
    List<String> out = new ArrayList<>();
    for (Column c : t.columns()) {
      int k = t.key().indexOf(c.name());
      if (k >= 0) {
        out.add(prefix + from.get(k));
      } else if (c.name().equals(side.unknownColumn())) {
        out.add("'" + side.unknownValue().replace("'", "''") + "'");
      } else {
        out.add("CAST(NULL AS " + castType(c.kind()) + ")");
      }
    }
    return out;
  }

  /** {@code a.k1 = f.c1 AND ...}: the table's key against the columns {@code from} of f. */
  static String sameKey(List<String> key, String alias, List<String> from) {
    StringJoiner on = new StringJoiner(" AND ");
    for (int i = 0; i < key.size(); i++) {
      on.add(alias + "." + key.get(i) + " = f." + from.get(i));
    }
    return on.toString();
  }

  /** A kind as a CAST target, the same on both engines. */
  private static String castType(StarSchema.Kind kind) {
    return switch (kind) {
      case VARCHAR, TEXT -> "VARCHAR";
      case DOUBLE -> "DOUBLE PRECISION";
      default -> kind.name();
    };
  }

  /**
   * Fills the sources derived from the staged rows, in the star's order: the groups, one row per
   * key of each latest-wins dimension (the attributes of its latest day), and the rows of each list
   * attribute's winning version.
   */
  public List<String> fillSources(RunTables r) {
    List<String> out = new ArrayList<>();
    for (Star.Source src : star.sources()) {
      if (src instanceof Star.Groups g) {
        String col = g.table().key().get(0);
        out.add(
            "INSERT INTO "
                + q(r.named(g.prefix()))
                + " ("
                + col
                + ") SELECT "
                + col
                + " FROM "
                + q(r.stageBatch)
                + " UNION SELECT "
                + col
                + " FROM "
                + q(r.named(g.alsoFrom().prefix())));
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
    String insert = "INSERT INTO " + q(into) + " (" + String.join(", ", cols) + ")\nSELECT ";
    String key = t.key().get(0);
    if (dialect == Dialect.POSTGRES) {
      String k = bytewise(key);
      return insert
          + attrs
          + " FROM "
          + q(r.stageFact)
          + " WHERE ctid = ANY (ARRAY(SELECT DISTINCT ON ("
          + k
          + ") ctid FROM "
          + q(r.stageFact)
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
        + q(r.stageFact)
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
                dialect == Dialect.POSTGRES ? ties.stream().map(this::bytewise).toList() : ties);
    StringJoiner same = new StringJoiner(" AND ");
    same.add("w." + key + " = b." + key).add("w.date_key = b.date_key");
    ties.forEach(c -> same.add("w." + c + " = b." + c));
    return "INSERT INTO "
        + q(r.named(l.prefix()))
        + " ("
        + String.join(", ", t.columnNames())
        + ")\nSELECT "
        + String.join(", ", t.columnNames().stream().map(c -> "b." + c).toList())
        + " FROM "
        + q(r.named(l.stagedPrefix()))
        + " b JOIN (SELECT "
        + key
        + ", date_key, "
        + String.join(", ", ties)
        + ", ROW_NUMBER() OVER (PARTITION BY "
        + key
        + " ORDER BY "
        + order
        + ") AS rn FROM "
        + q(r.stageFact)
        + ") w ON "
        + same
        + " WHERE w.rn = 1";
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
