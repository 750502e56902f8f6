package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a star's keys and of its first load: which key constraints exist, adding the foreign
 * keys (and the inferred members an older warehouse needs before such a key can hold), the lock
 * that orders concurrent loads, and the bulk path into empty tables. Written for one dialect,
 * schema and star by {@link StarSql}.
 */
public final class StarKeys {
  private final StarSql sql;
  private final Star star;

  public StarKeys(StarSql sql) {
    this.sql = sql;
    this.star = sql.star();
  }

  /** The names of the key constraints in the schema (parameter: the schema), to add what lacks. */
  public String existingConstraints() {
    return "SELECT constraint_name FROM information_schema.table_constraints WHERE table_schema ="
        + " ? AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')";
  }

  public String addForeignKey(StarSchema.ForeignKey fk) {
    return "ALTER TABLE "
        + sql.q(fk.from().name())
        + " ADD CONSTRAINT "
        + Sql.identifier("constraint", fk.name())
        + " FOREIGN KEY ("
        + String.join(", ", fk.columns())
        + ") REFERENCES "
        + sql.q(fk.to().name())
        + " ("
        + String.join(", ", fk.to().key())
        + ")";
  }

  /**
   * Inferred members for the rows already loaded that {@code fk} refers to the side table with, so
   * that the key can be added to a warehouse loaded before its table had them; empty when {@code
   * fk} refers to no side table ({@link Star.SideRows}).
   */
  public java.util.Optional<String> backfillInferred(StarSchema.ForeignKey fk) {
    return star.sources(Star.SideRows.class)
        .filter(s -> s.table() == fk.to())
        .findFirst()
        .map(
            side -> {
              String d = sql.q(side.table().name());
              return "INSERT INTO "
                  + d
                  + " ("
                  + String.join(", ", side.table().columnNames())
                  + ") SELECT DISTINCT "
                  + String.join(", ", InferredMemberSql.inferredValues(side, "f.", fk.columns()))
                  + " FROM "
                  + sql.q(fk.from().name())
                  + " f WHERE NOT EXISTS (SELECT 1 FROM "
                  + d
                  + " d WHERE "
                  + InferredMemberSql.sameKey(side.table().key(), "d", fk.columns())
                  + ")";
            });
  }

  /**
   * Takes the merged tables for this transaction, so that concurrent loads of one schema merge one
   * after the other (and agree on whether the star is empty); readers are not blocked on
   * PostgreSQL.
   */
  public String lockMerged() {
    String tables = String.join(", ", star.merged().stream().map(t -> sql.q(t.name())).toList());
    return sql.dialect() == Dialect.POSTGRES
        ? "LOCK TABLE " + tables + " IN SHARE ROW EXCLUSIVE MODE"
        : "LOCK " + tables;
  }

  /** A row of {@code t}, if it has any. */
  public String anyRow(Table t) {
    return "SELECT 1 FROM " + sql.q(t.name()) + " LIMIT 1";
  }

  /**
   * The first load into an empty star, on PostgreSQL: every key dropped, the tables truncated (a
   * new, empty file, which with {@code wal_level=minimal} is filled without WAL), then {@link
   * #insertAll} and {@link #addKeys}. Bulk-building an index and validating a key with one join are
   * much cheaper than maintaining them row by row; all of it is one transaction.
   */
  public List<String> dropKeys() {
    List<String> out = new ArrayList<>();
    for (StarSchema.ForeignKey fk : star.foreignKeys()) {
      out.add("ALTER TABLE " + sql.q(fk.from().name()) + " DROP CONSTRAINT IF EXISTS " + fk.name());
    }
    for (Table t : star.merged()) {
      out.add(
          "ALTER TABLE " + sql.q(t.name()) + " DROP CONSTRAINT IF EXISTS " + t.name() + "_pkey");
    }
    out.add(
        "TRUNCATE " + String.join(", ", star.merged().stream().map(t -> sql.q(t.name())).toList()));
    return out;
  }

  /** The keys {@link #dropKeys} dropped, added back (and so checked) over the loaded rows. */
  public List<String> addKeys() {
    List<String> out = new ArrayList<>();
    for (Table t : star.merged()) {
      out.add("ALTER TABLE " + sql.q(t.name()) + " ADD " + StarDdl.primaryKey(t));
    }
    star.foreignKeys().forEach(fk -> out.add(addForeignKey(fk)));
    return out;
  }

  /** Every source row into its empty table: the first load, with nothing to match. */
  public String insertAll(Table t, String source) {
    String cols = String.join(", ", t.columnNames());
    return "INSERT INTO "
        + sql.q(t.name())
        + " ("
        + cols
        + ") SELECT "
        + cols
        + " FROM "
        + sql.q(source);
  }
}
