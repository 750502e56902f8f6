package dev.trendlake.pipeline.warehouse;

import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.youtube.CategoryColumns;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse load of one run, as three idempotent, transactional steps, each retried by {@link
 * WarehouseRetry}:
 *
 * <ol>
 *   <li>{@link #prepare}: star schema created if absent (a no-op when it exists), the run's staging
 *       tables created empty.
 *   <li>{@link #stage}: a batch of gold partitions into the fact staging table. The batch id is the
 *       partition ({@code region=us/trending_date=2017-11-14}); the step first deletes those batch
 *       ids, so a retried bundle or a retried attempt replaces its rows instead of adding to them.
 *   <li>{@link #merge}: checks the staged row count against what the pipeline staged, fills the
 *       source tables, runs one MERGE per table, records the run in {@code load_run}, drops the
 *       staging tables, all in one transaction. A retry after the commit finds the run in {@code
 *       load_run} and does nothing.
 * </ol>
 *
 * Plain JDBC and no Beam, so tests and the benchmark drive it directly.
 */
public final class WarehouseLoader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseLoader.class);
  private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"));

  /** How the fact staging table is filled over JDBC. */
  public enum StageMethod {
    /** PostgreSQL COPY FROM STDIN through pgjdbc's CopyManager (the default on PostgreSQL). */
    COPY_PROTOCOL,
    /**
     * Batched INSERTs (pgjdbc rewrites them to multi-row inserts; the only JDBC way on Redshift).
     */
    BATCH_INSERT
  }

  /** Called inside each step just before its commit: tests use it to kill the connection there. */
  public interface Hook {
    void beforeCommit(String step, Connection c) throws SQLException;
  }

  /** What the merge did: rows staged, rows merged per table (PostgreSQL: changed rows only). */
  public record MergeResult(
      String runId, long factRowsStaged, Map<String, Long> merged, boolean alreadyLoaded)
      implements java.io.Serializable {}

  private final WarehouseTarget target;
  private final StarSql schema;
  private final StarSchema.RunTables tables;
  private final String runId;
  private final WarehouseRetry retry;
  private final StageMethod method;
  private final FactStager stager;
  private final Hook hook;

  public WarehouseLoader(WarehouseTarget target, String runId) {
    this(
        target,
        runId,
        target.dialect() == Dialect.POSTGRES ? StageMethod.COPY_PROTOCOL : StageMethod.BATCH_INSERT,
        (step, c) -> {});
  }

  private WarehouseLoader(WarehouseTarget target, String runId, StageMethod method, Hook hook) {
    this.target = target;
    this.schema = target.sql();
    this.runId = runId;
    this.tables = StarSchema.runTables(runId);
    this.stager = new FactStager(schema, tables);
    this.retry = new WarehouseRetry(target);
    this.method = method;
    this.hook = hook;
  }

  /** A loader of the same run that fills staging with {@code m}. */
  public WarehouseLoader withStageMethod(StageMethod m) {
    if (m == StageMethod.COPY_PROTOCOL && target.dialect() != Dialect.POSTGRES) {
      throw new IllegalArgumentException("the COPY protocol needs PostgreSQL");
    }
    return new WarehouseLoader(target, runId, m, hook);
  }

  /** A loader of the same run that calls {@code h} before each step's commit (tests). */
  public WarehouseLoader withHook(Hook h) {
    return new WarehouseLoader(target, runId, method, h);
  }

  public StarSchema.RunTables runTables() {
    return tables;
  }

  /** Creates the star schema if absent and this run's staging tables (empty). */
  public void prepare() {
    retry.run(
        "create schema and staging tables",
        c -> {
          try (Statement s = c.createStatement()) {
            for (String ddl : schema.createAll()) {
              s.execute(ddl);
            }
            for (String ddl : schema.createRunTables(tables)) {
              s.execute(ddl);
            }
          }
          try (PreparedStatement ps = c.prepareStatement(schema.deleteLoadRun())) {
            ps.setString(1, runId);
            ps.executeUpdate();
          }
          hook.beforeCommit("prepare", c);
          return null;
        });
  }

  /** Stages whole gold partitions over JDBC; returns the rows staged. Idempotent per partition. */
  public long stage(List<Partition> partitions) {
    if (partitions.isEmpty()) {
      return 0;
    }
    return retry.run(
        "stage " + partitions.size() + " partitions",
        c -> {
          stager.deleteBatches(c, partitions);
          long rows =
              method == StageMethod.COPY_PROTOCOL
                  ? stager.copyIn(c, partitions)
                  : stager.insertBatches(c, partitions);
          hook.beforeCommit("stage", c);
          return rows;
        });
  }

  /**
   * Redshift COPY of gold partitions from S3 into the fact staging table: each partition prefix is
   * copied into a session temp table shaped like the gold Parquet (COPY maps by position), then
   * moved to staging with the partition columns, which live only in the prefix, added from it.
   */
  public long stageFromS3(String goldRoot, List<Partition> partitions) {
    if (partitions.isEmpty()) {
      return 0;
    }
    String root = goldRoot.endsWith("/") ? goldRoot : goldRoot + "/";
    return retry.run(
        "COPY " + partitions.size() + " partitions from S3",
        c -> {
          stager.deleteBatches(c, partitions);
          RedshiftCopy copy = new RedshiftCopy(schema);
          long rows = 0;
          try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + RedshiftCopy.GOLD_LANDING);
            s.execute(copy.createGoldLanding());
            for (Partition p : partitions) {
              s.execute("DELETE FROM " + RedshiftCopy.GOLD_LANDING);
              s.execute(
                  RedshiftCopy.copyGoldPartition(root + p.path() + "/", target.copyRoleArn()));
              try (PreparedStatement ps = c.prepareStatement(copy.insertStageFromLanding(tables))) {
                ps.setString(1, p.path());
                ps.setString(2, p.group());
                ps.setInt(3, StagedRow.dateKey(p.rows().get(0).get(TrendingColumns.TRENDING_DATE)));
                rows += ps.executeUpdate();
              }
            }
          }
          hook.beforeCommit("stage", c);
          return rows;
        });
  }

  /**
   * Merges everything staged for the run into the star schema, in one transaction.
   *
   * @param expectedFactRows what the pipeline staged: the load fails rather than merge a different
   *     number of rows
   * @param categories the run's categories, deduplicated per (region, category_id)
   */
  public MergeResult merge(long expectedFactRows, List<Row> categories) {
    return retry.run(
        "merge into the star schema",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(schema.loadRunExists())) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                LOG.info("run {} was already merged into the warehouse; nothing to do", runId);
                return new MergeResult(runId, rs.getLong(1), Map.of(), true);
              }
            }
          }
          long staged;
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery(schema.countStaged(tables))) {
            rs.next();
            staged = rs.getLong(1);
          }
          if (staged != expectedFactRows) {
            throw new SQLException(
                "the warehouse staging table holds "
                    + staged
                    + " rows but the run staged "
                    + expectedFactRows
                    + "; nothing was merged",
                "TL001");
          }
          if (target.dialect() == Dialect.POSTGRES) {
            try (Statement s = c.createStatement()) {
              // the window functions sort the whole staging table: in memory, not in temp files;
              // and the
              // planner needs statistics on the freshly filled staging table to choose hash joins
              s.execute("SET LOCAL work_mem = '256MB'");
              s.execute("ANALYZE " + schema.q(tables.stageFact));
            }
          }
          try (Statement s = c.createStatement()) {
            for (String sql : schema.clearSources(tables)) {
              s.executeUpdate(sql);
            }
          }
          insertCategories(c, categories);
          try (Statement s = c.createStatement()) {
            for (String sql : schema.fillSources(tables)) {
              s.executeUpdate(sql);
            }
          }
          insertDates(c);
          Map<String, Long> merged = new LinkedHashMap<>();
          try (Statement s = c.createStatement()) {
            for (StarSchema.Table t : StarSchema.MERGED) {
              merged.put(t.name(), (long) s.executeUpdate(schema.merge(t, tables.sourceOf(t))));
            }
          }
          try (PreparedStatement ps = c.prepareStatement(schema.insertLoadRun())) {
            ps.setString(1, runId);
            ps.setTimestamp(2, Timestamp.from(java.time.Instant.now()), UTC);
            ps.setLong(3, staged);
            ps.executeUpdate();
          }
          try (Statement s = c.createStatement()) {
            for (String sql : schema.dropRunTables(tables)) {
              s.execute(sql);
            }
          }
          hook.beforeCommit("merge", c);
          return new MergeResult(runId, staged, merged, false);
        });
  }

  private void insertCategories(Connection c, List<Row> categories) throws SQLException {
    List<String> cols = StarSchema.DIM_CATEGORY.columnNames();
    try (PreparedStatement ps = c.prepareStatement(schema.insertInto(tables.stageCategory, cols))) {
      for (Row cat : categories) {
        ps.setString(1, cat.get(CategoryColumns.REGION));
        ps.setLong(2, cat.get(CategoryColumns.CATEGORY_ID));
        ps.setString(3, cat.get(CategoryColumns.TITLE));
        Boolean assignable = cat.get(CategoryColumns.ASSIGNABLE);
        if (assignable == null) {
          ps.setNull(4, Types.BOOLEAN);
        } else {
          ps.setBoolean(4, assignable);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void insertDates(Connection c) throws SQLException {
    List<Integer> keys = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(schema.distinctStagedDates(tables))) {
      while (rs.next()) {
        keys.add(rs.getInt(1));
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(schema.insertInto(tables.srcDate, StarSchema.DIM_DATE.columnNames()))) {
      for (int key : keys) {
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

  @Override
  public void close() {
    retry.close();
  }
}
