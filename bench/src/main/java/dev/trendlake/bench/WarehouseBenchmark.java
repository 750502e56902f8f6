package dev.trendlake.bench;

import dev.trendlake.pipeline.warehouse.WarehouseLoader;
import dev.trendlake.pipeline.warehouse.WarehousePlan;
import dev.trendlake.pipeline.warehouse.WarehouseTarget;
import dev.trendlake.runners.warehouse.EmbeddedWarehouse;
import dev.trendlake.testkit.SyntheticGold;
import dev.trendlake.transforms.row.Partition;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Fact rows per second into a local PostgreSQL 17 (the embedded server), staging then merging into
 * empty tables, as the pipeline's warehouse load does. Not a test: performance is measured here,
 * never asserted.
 *
 * <pre>
 * java -cp bench/target/trendlake-bench.jar:testkit/target/trendlake-testkit-0.1.0-SNAPSHOT.jar:runners/target/trendlake-bundled.jar \\
 *     dev.trendlake.bench.WarehouseBenchmark [rows=1000000] [COPY_PROTOCOL|BATCH_INSERT ...]
 * </pre>
 *
 * Rows are synthesized in memory ({@link SyntheticGold}) and staged in batches of 50,000 rows per
 * transaction. Besides wall time it prints the CPU time spent by PostgreSQL (its server and
 * backends, from {@code /proc}) and by this JVM in each phase: on a shared machine the wall time
 * follows the other load, the CPU time follows the work, so a change is judged on both.
 */
public final class WarehouseBenchmark {
  private WarehouseBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    List<WarehouseLoader.StageMethod> methods =
        args.length > 1
            ? java.util.Arrays.stream(args)
                .skip(1)
                .map(WarehouseLoader.StageMethod::valueOf)
                .toList()
            : List.of(WarehouseLoader.StageMethod.values());
    List<Partition> parts = SyntheticGold.partitions(rows, 200);
    for (WarehouseLoader.StageMethod m : methods) {
      Path dir = Files.createTempDirectory("trendlake-bench");
      try (EmbeddedWarehouse pg = EmbeddedWarehouse.start(dir)) {
        Cpu cpu = new Cpu(pg.dataDir());
        WarehouseTarget t =
            new WarehousePlan(
                    "embedded", null, null, "bench", null, WarehouseTarget.LoadMethod.JDBC, null, 3)
                .target(pg.jdbcUrl());
        try (WarehouseLoader loader = new WarehouseLoader(t, "bench-" + m).withStageMethod(m)) {
          loader.prepare();
          double[] c0 = cpu.now();
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
          double[] c1 = cpu.now();
          long t1 = System.nanoTime();
          WarehouseLoader.MergeResult r = loader.merge(staged, List.of(), List.of());
          double[] c2 = cpu.now();
          long t2 = System.nanoTime();
          double stageS = (t1 - t0) / 1e9;
          double mergeS = (t2 - t1) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "%-14s %,9d rows: staging %5.1f s (cpu pg %4.1f s, java %4.1f s) = %,7.0f rows/s;"
                  + " merge %5.1f s (cpu pg %4.1f s); end to end %,7.0f rows/s; merged %s%n",
              m,
              staged,
              stageS,
              c1[0] - c0[0],
              c1[1] - c0[1],
              staged / stageS,
              mergeS,
              c2[0] - c1[0],
              staged / (stageS + mergeS),
              r.merged());
        }
      }
    }
  }

  /** CPU seconds used so far by PostgreSQL (server and every backend) and by this JVM. */
  static final class Cpu {
    private final Path dataDir;

    Cpu(Path dataDir) {
      this.dataDir = dataDir;
    }

    double[] now() throws IOException {
      double java =
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                  .getProcessCpuTime()
              / 1e9;
      return new double[] {postgres(), java};
    }

    /**
     * The postmaster's own and its exited children's CPU (cutime, cstime), plus its live
     * children's: clock ticks of {@code /proc/<pid>/stat}, at the usual 100 a second.
     */
    private double postgres() throws IOException {
      long postmaster =
          Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
      long ticks = 0;
      try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
        for (Path p : procs) {
          String stat;
          try {
            stat = Files.readString(p.resolve("stat"));
          } catch (IOException gone) {
            continue;
          }
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long pid = Long.parseLong(p.getFileName().toString());
          if (pid == postmaster) {
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
          } else if (Long.parseLong(f[1]) == postmaster) {
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        }
      }
      return ticks / 100.0;
    }
  }
}
