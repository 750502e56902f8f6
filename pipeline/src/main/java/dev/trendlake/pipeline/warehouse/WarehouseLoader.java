package dev.trendlake.pipeline.warehouse;

import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse load of one run into its dataset's {@link Star}, as three idempotent, transactional
 * steps, each retried by {@link WarehouseRetry}:
 *
 * <ol>
 *   <li>{@link #prepare}: star schema and its foreign keys created if absent (a no-op when they
 *       exist), the run's staging tables created empty.
 *   <li>{@link #stage}: a batch of gold partitions into the staging tables. The batch id is the
 *       partition ({@code region=us/trending_date=2017-11-14}); the step first removes what an
 *       earlier attempt staged of those batch ids, so a retried bundle or a retried attempt
 *       replaces its rows instead of adding to them.
 *   <li>{@link #merge}: checks the staged row count against what the pipeline staged, then loads
 *       the star ({@link StarMerge}: plain inserts into an empty star, else one MERGE per table),
 *       records the run in {@code load_run}, drops the staging tables, all in one transaction. A
 *       retry after the commit finds the run in {@code load_run} and does nothing.
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
  private final Star star;
  private final StarSql schema;
  private final StarDdl ddl;
  private final StagingSql staging;
  private final MergeSql merges;
  private final StarSchema.RunTables tables;
  private final String runId;
  private final WarehouseRetry retry;
  private final StageMethod method;
  private final FactStager stager;
  private final StarKeys keys;
  private final Hook hook;

  /** A loader of YouTube's star (the default dataset's): tests and the benchmark. */
  public WarehouseLoader(WarehouseTarget target, String runId) {
    this(target, YouTubeStar.INSTANCE, runId);
  }

  public WarehouseLoader(WarehouseTarget target, Star star, String runId) {
    this(
        target,
        star,
        runId,
        target.dialect() == Dialect.POSTGRES ? StageMethod.COPY_PROTOCOL : StageMethod.BATCH_INSERT,
        (step, c) -> {});
  }

  private WarehouseLoader(
      WarehouseTarget target, Star star, String runId, StageMethod method, Hook hook) {
    this.target = target;
    this.star = star;
    this.schema = target.sql(star);
    this.runId = runId;
    this.ddl = new StarDdl(schema);
    this.staging = new StagingSql(schema);
    this.merges = new MergeSql(schema);
    this.tables = schema.runTables(runId);
    this.stager = new FactStager(schema, tables);
    this.keys = new StarKeys(schema);
    this.retry = new WarehouseRetry(target);
    this.method = method;
    this.hook = hook;
  }

  /** A loader of the same run that fills staging with {@code m}. */
  public WarehouseLoader withStageMethod(StageMethod m) {
    if (m == StageMethod.COPY_PROTOCOL && target.dialect() != Dialect.POSTGRES) {
      throw new IllegalArgumentException("the COPY protocol needs PostgreSQL");
    }
    return new WarehouseLoader(target, star, runId, m, hook);
  }

  /** A loader of the same run that calls {@code h} before each step's commit (tests). */
  public WarehouseLoader withHook(Hook h) {
    return new WarehouseLoader(target, star, runId, method, h);
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
            for (String create : ddl.createAll()) {
              s.execute(create);
            }
            addMissingForeignKeys(c);
            for (String create : ddl.createRunTables(tables)) {
              s.execute(create);
            }
          }
          try (PreparedStatement ps = c.prepareStatement(merges.deleteLoadRun())) {
            ps.setString(1, runId);
            ps.executeUpdate();
          }
          hook.beforeCommit("prepare", c);
          return null;
        });
  }

  /**
   * Adds the foreign keys a star created before they were declared lacks. An older warehouse may
   * hold rows of unknown side keys (categories): their inferred members are added first, so the key
   * holds.
   */
  private void addMissingForeignKeys(Connection c) throws SQLException {
    java.util.Set<String> existing = new java.util.HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(keys.existingConstraints())) {
      ps.setString(1, schema.schema());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          existing.add(rs.getString(1));
        }
      }
    }
    try (Statement s = c.createStatement()) {
      for (StarSchema.ForeignKey fk : star.foreignKeys()) {
        if (!existing.contains(fk.name())) {
          java.util.Optional<String> backfill = keys.backfillInferred(fk);
          if (backfill.isPresent()) {
            s.executeUpdate(backfill.get());
          }
          s.execute(keys.addForeignKey(fk));
        }
      }
    }
  }

  /** Stages whole gold partitions over JDBC; returns the rows staged. Idempotent per partition. */
  public long stage(List<Partition> partitions) {
    if (partitions.isEmpty()) {
      return 0;
    }
    return retry.run(
        "stage " + partitions.size() + " partitions",
        c -> {
          stager.forgetEarlierAttempts(c, partitions);
          long rows =
              method == StageMethod.COPY_PROTOCOL
                  ? stager.copyIn(c, partitions)
                  : stager.insertBatches(c, partitions);
          stager.recordBatches(c, partitions);
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
    if (!star.copiesFromS3()) {
      throw new IllegalArgumentException(
          "--warehouseLoad=copy is not built for --dataset=" + star.dataset().name());
    }
    String root = goldRoot.endsWith("/") ? goldRoot : goldRoot + "/";
    return retry.run(
        "COPY " + partitions.size() + " partitions from S3",
        c -> {
          stager.forgetEarlierAttempts(c, partitions);
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
                ps.setInt(3, stager.dateKey(p));
                rows += ps.executeUpdate();
              }
            }
          }
          stager.recordBatches(c, partitions);
          hook.beforeCommit("stage", c);
          return rows;
        });
  }

  /**
   * Merges everything staged for the run into the star schema, in one transaction.
   *
   * @param expectedFactRows what the pipeline staged: the load fails rather than merge a different
   *     number of rows
   * @param sideRows the run's side rows (YouTube: categories, deduplicated per region and id; TMDB:
   *     genres, per id)
   * @param removedPartitions gold partition paths the run removed from the lake: their facts go too
   */
  public MergeResult merge(
      long expectedFactRows, List<Row> sideRows, List<String> removedPartitions) {
    return retry.run(
        "merge into the star schema",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(merges.loadRunExists())) {
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
              ResultSet rs = s.executeQuery(staging.countStaged(tables))) {
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
          StarMerge.Loaded loaded =
              new StarMerge(schema, tables)
                  .run(c, sideRows, keys(star.dataset(), removedPartitions));
          try (PreparedStatement ps = c.prepareStatement(merges.insertLoadRun())) {
            ps.setString(1, runId);
            ps.setTimestamp(2, Timestamp.from(java.time.Instant.now()), UTC);
            ps.setLong(3, staged);
            ps.executeUpdate();
          }
          try (Statement s = c.createStatement()) {
            for (String sql : ddl.dropRunTables(tables)) {
              s.execute(sql);
            }
          }
          hook.beforeCommit("merge", c);
          LOG.info(
              "run {} merged into the warehouse ({}): {}",
              runId,
              loaded.bulk() ? "first load, inserted" : "merged",
              loaded.rows());
          return new MergeResult(runId, staged, loaded.rows(), false);
        });
  }

  @Override
  public void close() {
    retry.close();
  }

  private static List<StarMerge.PartitionKey> keys(Dataset dataset, List<String> partitions) {
    List<StarMerge.PartitionKey> out = new java.util.ArrayList<>();
    for (String p : partitions) {
      Row v = dataset.schema().partitionValues(p);
      out.add(new StarMerge.PartitionKey(dataset.group(v), StagedRow.dateKey(dataset.day(v))));
    }
    return out;
  }
}
