package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.Column;
import dev.trendlake.pipeline.warehouse.StarSchema.RunTables;
import dev.trendlake.pipeline.warehouse.StarSchema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Inferred members ({@link Star.SideRows}): the row a side table gets for a key the facts use
 * before any side file names it, so every foreign key holds and an inner join keeps the fact.
 * Written here for a run's source; {@link StarKeys} writes the same values for rows loaded before
 * the key existed.
 */
final class InferredMemberSql {
  private final StarSql sql;

  InferredMemberSql(StarSql sql) {
    this.sql = sql;
  }

  /**
   * Adds to a side source an inferred member ({@link Star.SideRows}) for each key the staged rows
   * use that neither this run's side rows nor the table hold, so every row that refers to the table
   * has its row. A real member is never overwritten by it.
   */
  String addInferredMembers(RunTables r, Star.SideRows side) {
    Table t = side.table();
    String into = sql.q(r.named(side.prefix()));
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
        + sql.q(r.named(side.inferredFrom()))
        + ") f WHERE NOT EXISTS (SELECT 1 FROM "
        + into
        + " c WHERE "
        + sameKey(t.key(), "c", t.key())
        + ")"
        + " AND NOT EXISTS (SELECT 1 FROM "
        + sql.q(t.name())
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
}
