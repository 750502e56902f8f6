package dev.trendlake.bench;

import dev.trendlake.pipeline.warehouse.WarehouseLoader;
import dev.trendlake.pipeline.warehouse.WarehousePlan;
import dev.trendlake.pipeline.warehouse.WarehouseTarget;
import dev.trendlake.runners.warehouse.EmbeddedWarehouse;
import dev.trendlake.testkit.SyntheticGold;
import dev.trendlake.transforms.row.Partition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Fact rows per second into a local PostgreSQL 17, for each way of filling the staging table, then
 * the MERGE. Not a test: performance is measured here, never asserted.
 *
 * <pre>
 * java -cp bench/target/trendlake-bench.jar:runners/target/trendlake-bundled.jar \\
 *     dev.trendlake.bench.WarehouseBenchmark [rows=1000000]
 * </pre>
 *
 * Rows are synthesized in memory ({@link SyntheticGold}) and staged in batches of 50,000 rows per
 * transaction, as the pipeline's warehouse load does.
 */
public final class WarehouseBenchmark {
  private WarehouseBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    List<Partition> parts = SyntheticGold.partitions(rows, 200);
    Path dir = Files.createTempDirectory("trendlake-bench");
    try (EmbeddedWarehouse pg = EmbeddedWarehouse.start(dir)) {
      for (WarehouseLoader.StageMethod m : WarehouseLoader.StageMethod.values()) {
        String schema = "bench_" + m.name().toLowerCase(Locale.ROOT);
        WarehouseTarget t =
            new WarehousePlan(
                    "embedded", null, null, schema, null, WarehouseTarget.LoadMethod.JDBC, null, 3)
                .target(pg.jdbcUrl());
        try (WarehouseLoader loader = new WarehouseLoader(t, "bench-" + m).withStageMethod(m)) {
          loader.prepare();
          long t0 = System.nanoTime();
          long staged = 0;
          int from = 0;
          while (from < parts.size()) {
            int to = from;
            long n = 0;
            while (to < parts.size() && n < 50_000) {
              n += parts.get(to++).rows().size();
            }
            staged += loader.stage(parts.subList(from, to));
            from = to;
          }
          long t1 = System.nanoTime();
          WarehouseLoader.MergeResult r = loader.merge(staged, List.of());
          long t2 = System.nanoTime();
          double stageS = (t1 - t0) / 1e9;
          double mergeS = (t2 - t1) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "%-14s %,9d rows: staging %6.1f s = %,8.0f rows/s; merge %6.1f s; end to end %,8.0f"
                  + " rows/s; merged %s%n",
              m,
              staged,
              stageS,
              staged / stageS,
              mergeS,
              staged / (stageS + mergeS),
              r.merged());
        }
      }
    }
  }
}
