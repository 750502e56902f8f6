package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.Table;
import dev.trendlake.transforms.row.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of the merge step, on the step's connection and inside its one transaction: the
 * deduplicated sources are filled from staging and the side rows (with an inferred member for each
 * key the staged rows use and no side file names), the star's tables are locked, and each table is
 * loaded from its source, dimensions first. A staged partition replaces its facts whole, and a
 * partition the lake removed takes its facts with it, so the fact table holds what gold holds; a
 * list attribute (a bridge) holds the list of the version its dimension's attributes come from.
 *
 * <p>Into an empty star (a first load) every source row is simply inserted; on PostgreSQL its keys
 * are dropped first and added back after, which builds each index in one pass and checks each
 * foreign key with one join instead of row by row. Otherwise one MERGE per table. Either way the
 * result is the same rows, and a repeated load (the star no longer empty) merges and changes
 * nothing.
 */
final class StarMerge {
  private final StarSql sql;
  private final Star star;
  private final StarKeys keys;
  private final SourceSql sources;
  private final InferredMemberSql inferred;
  private final MergeSql merges;
  private final StarSchema.RunTables tables;

  StarMerge(StarSql sql, StarSchema.RunTables tables) {
    this.sql = sql;
    this.star = sql.star();
    this.keys = new StarKeys(sql);
    this.sources = new SourceSql(sql);
    this.inferred = new InferredMemberSql(sql);
    this.merges = new MergeSql(sql);
    this.tables = tables;
  }

  /** Rows loaded per table; {@code bulk} tells whether it was the first load's path. */
  record Loaded(Map<String, Long> rows, boolean bulk) {}

  /** A (group, day) partition of gold, as the fact table keys it. */
  record PartitionKey(String group, int dateKey) {}

  /**
   * @param sideRows the run's side rows (categories, genres), deduplicated by their table's key
   * @param removed partitions the lake no longer has: their facts are deleted, as the staged
   *     partitions replace theirs whole
   */
  Loaded run(Connection c, List<Row> sideRows, List<PartitionKey> removed) throws SQLException {
    boolean postgres = sql.dialect() == Dialect.POSTGRES;
    try (Statement s = c.createStatement()) {
      if (postgres) {
        // the window functions sort the whole staging table, and a first load builds the indexes:
        // in memory, not in temporary files
        s.execute("SET LOCAL work_mem = '256MB'");
        s.execute("SET LOCAL maintenance_work_mem = '256MB'");
      }
      for (String clear : sources.clearSources(tables)) {
        s.executeUpdate(clear);
      }
      for (Star.SideRows side : star.sources(Star.SideRows.class).toList()) {
        insertSideRows(c, side, sideRows);
        s.executeUpdate(inferred.addInferredMembers(tables, side));
      }
      for (String fill : sources.fillSources(tables)) {
        s.executeUpdate(fill);
      }
      for (Star.Dates dates : star.sources(Star.Dates.class).toList()) {
        insertDates(c, dates);
      }
      s.execute(keys.lockMerged());
      boolean empty = true;
      for (Table t : star.merged()) {
        try (ResultSet rs = s.executeQuery(keys.anyRow(t))) {
          empty &= !rs.next();
        }
      }
      Map<String, Long> rows = new LinkedHashMap<>();
      if (empty && postgres) {
        for (String drop : keys.dropKeys()) {
          s.execute(drop);
        }
      }
      if (!empty && postgres) {
        // the planner needs statistics on the freshly filled staging table to choose hash joins
        s.execute("ANALYZE " + sql.q(tables.stageFact));
      }
      if (!empty) {
        replaceFacts(c, s, removed);
        for (String replace : merges.replaceLists(tables)) {
          s.executeUpdate(replace);
        }
      }
      for (Table t : star.merged()) {
        String source = tables.sourceOf(t);
        String load = empty ? keys.insertAll(t, source) : merges.merge(t, source);
        rows.put(t.name(), (long) s.executeUpdate(load));
      }
      if (empty && postgres) {
        for (String add : keys.addKeys()) {
          s.execute(add);
        }
      }
      return new Loaded(rows, empty);
    }
  }

  private void replaceFacts(Connection c, Statement s, List<PartitionKey> removed)
      throws SQLException {
    s.executeUpdate(merges.deleteReplacedFacts(tables.sourceOf(star.fact())));
    if (removed.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(merges.deletePartitionFacts())) {
      for (PartitionKey k : removed) {
        ps.setString(1, k.group());
        ps.setInt(2, k.dateKey());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void insertSideRows(Connection c, Star.SideRows side, List<Row> rows)
      throws SQLException {
    Table t = side.table();
    int[] types = FactStager.sqlTypes(t.columns());
    try (PreparedStatement ps =
        c.prepareStatement(sql.insertInto(tables.named(side.prefix()), t.columnNames()))) {
      for (Row r : rows) {
        FactStager.bind(ps, star.sideValues(r), types);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void insertDates(Connection c, Star.Dates source) throws SQLException {
    List<Integer> dates = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sources.distinctStagedDates(tables))) {
      while (rs.next()) {
        dates.add(rs.getInt(1));
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            sql.insertInto(tables.named(source.prefix()), source.table().columnNames()))) {
      for (int key : dates) {
        LocalDate d = LocalDate.of(key / 10000, key / 100 % 100, key % 100);
        ps.setInt(1, key);
        ps.setDate(2, java.sql.Date.valueOf(d));
        ps.setShort(3, (short) d.getYear());
        ps.setShort(4, (short) d.getMonthValue());
        ps.setShort(5, (short) d.getDayOfMonth());
        ps.setShort(6, (short) d.getDayOfWeek().getValue());
        ps.setShort(7, (short) d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
