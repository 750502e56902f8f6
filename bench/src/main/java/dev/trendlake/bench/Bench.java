package dev.trendlake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.generate.GenerateCommand;
import dev.trendlake.runners.JvmSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code trendlake bench}: generates the input once per size, measures the parse floor, then runs
 * the pipeline once (or {@code --repeat} times) per runner as a child JVM, and reports per runner
 * and size: rows and bytes in, wall time, rows/s, MB/s, CPU time, peak process RSS (VmHWM, polled
 * from {@code /proc/<pid>/status}), peak JVM heap and GC time (written by the child's {@code
 * RunStats} hook), the load average around the run, and the ratio to the parse floor. Results go to
 * a JSON file and a short table. No figure is judged here: this machine is shared, so compare
 * ratios from one run.
 */
public final class Bench {
  private Bench() {}

  /** What to measure. */
  public record Config(
      List<Long> rows,
      List<String> runners,
      String input,
      Path work,
      int parallelism,
      int repeat,
      Path results,
      String regions,
      long seed,
      List<String> javaOpts,
      String classpath,
      List<String> runArgs) {}

  /** Runs the benchmark of {@code c}; returns the exit status (1 when a run failed). */
  static int execute(Config c, PrintWriter out, PrintWriter err) {
    try {
      ObjectNode result = bench(c, out);
      Files.createDirectories(c.results().toAbsolutePath().getParent());
      Files.writeString(
          c.results(),
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result)
              + "\n");
      out.println();
      out.print(BenchReport.table(result));
      out.println("results: " + c.results().toAbsolutePath());
      for (JsonNode r : result.path("runs")) {
        if (r.path("exit_status").asInt() != 0) {
          err.println("trendlake bench: a run failed; see " + r.path("log").asText());
          return 1;
        }
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("trendlake bench: " + e);
      return 1;
    }
  }

  static ObjectNode bench(Config c, PrintWriter out) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    ObjectNode machine = root.putObject("machine");
    machine.put("cpus", Runtime.getRuntime().availableProcessors());
    machine.put("memory_mib", memTotalMib());
    machine.put("java", System.getProperty("java.version"));
    machine.put("load_at_start", loadAverage());
    ArrayNode floors = root.putArray("parse_floor");
    ArrayNode runs = root.putArray("runs");
    Files.createDirectories(c.work());

    List<Long> sizes = c.input() != null ? List.of(-1L) : c.rows();
    for (long rows : sizes) {
      Path bronze;
      if (c.input() != null) {
        bronze = Paths.get(c.input()).toAbsolutePath();
      } else {
        bronze = c.work().resolve("bronze-" + rows + "-s" + c.seed());
        if (!Files.exists(bronze.resolve("_expected.json"))) {
          out.println("generating " + rows + " rows into " + bronze + " ...");
          List<String> g =
              new ArrayList<>(
                  List.of(
                      "--rows=" + rows, "--output=" + bronze, "--seed=" + c.seed(), "--overwrite"));
          if (c.regions() != null) {
            g.add("--regions=" + c.regions());
          }
          if (GenerateCommand.run(g.toArray(new String[0]), System.out, System.err) != 0) {
            throw new IOException("generating the input failed");
          }
        }
      }
      List<Path> csv = csvFiles(bronze);
      long bytes = 0;
      for (Path p : csv) {
        bytes += Files.size(p);
      }
      ParseFloor.Result floor = ParseFloor.measure(csv, 2);
      long records = floor.records();
      ObjectNode f = floors.addObject();
      f.put("input", bronze.toString());
      f.put("rows", records);
      f.put("bytes", bytes);
      f.put("files", csv.size());
      f.put("wall_s", round(floor.seconds()));
      f.put("rows_per_s", Math.round(records / floor.seconds()));
      f.put("mb_per_s", round(bytes / 1e6 / floor.seconds()));
      out.printf(
          Locale.ROOT,
          "parse floor: %d rows, %.1f MB in %.2f s%n",
          records,
          bytes / 1e6,
          floor.seconds());

      for (String runner : c.runners()) {
        for (int i = 1; i <= c.repeat(); i++) {
          ObjectNode r = runOnce(c, runner, bronze, records, bytes, i, out);
          r.put("x_parse_floor", round(r.path("wall_s").asDouble() / floor.seconds()));
          runs.add(r);
        }
      }
    }
    machine.put("load_at_end", loadAverage());
    return root;
  }

  static ObjectNode runOnce(
      Config c, String runner, Path bronze, long rows, long bytes, int attempt, PrintWriter out)
      throws IOException {
    String label = runner + "-" + bronze.getFileName() + "-" + attempt;
    Path output = c.work().resolve("out-" + label);
    deleteTree(output);
    Path log = c.work().resolve("run-" + label + ".log");
    Path stats = c.work().resolve("stats-" + label + ".json");
    Files.deleteIfExists(stats);
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(c.javaOpts());
    if (c.javaOpts().isEmpty() && runner.equals("flink")) {
      cmd.addAll(JvmSettings.flinkHeap(c.parallelism()));
      cmd.add(JvmSettings.FLINK_GC);
    }
    cmd.addAll(JvmSettings.OPENS);
    cmd.add("-Dtrendlake.statsFile=" + stats);
    cmd.add("-cp");
    cmd.add(c.classpath());
    cmd.add("dev.trendlake.runners.Launcher");
    cmd.add("run");
    cmd.add("--input=" + bronze);
    cmd.add("--output=" + output);
    cmd.add("--warehouse=none");
    cmd.add("--runId=bench-" + runner + "-" + attempt);
    if (runner.equals("flink")) {
      cmd.add("--runner=FlinkRunner");
      cmd.add("--parallelism=" + c.parallelism());
    } else {
      cmd.add("--runner=DirectRunner");
      cmd.add("--targetParallelism=" + c.parallelism());
    }
    cmd.addAll(c.runArgs());
    out.println(
        "running "
            + runner
            + " ("
            + attempt
            + "/"
            + c.repeat()
            + ") on "
            + bronze.getFileName()
            + " ...");
    String loadBefore = loadAverage();
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ProcWatch watch = ProcWatch.start(p.pid());
    int status;
    try {
      status = p.waitFor();
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    watch.stop();

    ObjectNode r = new ObjectMapper().createObjectNode();
    r.put("runner", runner);
    r.put("parallelism", c.parallelism());
    r.put("attempt", attempt);
    r.put("input", bronze.toString());
    r.put("exit_status", status);
    r.put("rows", rows);
    r.put("bytes", bytes);
    r.put("wall_s", round(wall));
    r.put("rows_per_s", Math.round(rows / wall));
    r.put("mb_per_s", round(bytes / 1e6 / wall));
    JsonNode s = Files.exists(stats) ? new ObjectMapper().readTree(stats.toFile()) : null;
    double cpu =
        s != null && s.path("cpu_nanos").asLong() > 0
            ? s.path("cpu_nanos").asLong() / 1e9
            : watch.cpuSeconds();
    r.put("cpu_s", round(cpu));
    r.put("peak_rss_mib", Math.round(watch.peakRssKib() / 1024.0));
    r.put(
        "peak_heap_mib",
        s == null ? -1 : Math.round(s.path("peak_heap_bytes").asLong() / 1048576.0));
    r.put(
        "max_heap_mib", s == null ? -1 : Math.round(s.path("max_heap_bytes").asLong() / 1048576.0));
    r.put("gc_s", s == null ? -1 : round(s.path("gc_millis").asLong() / 1000.0));
    // where the wall time went, measured inside the job (StageTimes): start_up, read, grouping,
    // dedupe_write, finish; empty when the run reported no stage metrics
    r.set("stage_s", s == null || !s.path("stages").isObject() ? r.objectNode() : s.path("stages"));
    r.put("load_before", loadBefore);
    r.put("load_after", loadAverage());
    Path manifest = output.resolve("_manifests/bench-" + runner + "-" + attempt + ".json");
    if (Files.exists(manifest)) {
      JsonNode m = new ObjectMapper().readTree(manifest.toFile());
      r.put("manifest_records", m.path("totals").path("records").asLong());
      r.put("silver_rows", m.path("totals").path("silver").asLong());
      r.put("gold_rows", m.path("totals").path("gold").asLong());
    }
    GoldFiles.summarise(output.resolve("gold"), r.putObject("gold_files"));
    r.put("output", output.toString());
    r.put("log", log.toString());
    out.printf(
        Locale.ROOT,
        "  %s: exit %d, %.1f s wall, %.1f s CPU, peak RSS %d MiB, peak heap %d MiB%n",
        runner,
        status,
        wall,
        cpu,
        r.path("peak_rss_mib").asLong(),
        r.path("peak_heap_mib").asLong());
    return r;
  }

  static List<Path> csvFiles(Path bronze) throws IOException {
    Path stats = bronze.resolve("raw_statistics");
    if (!Files.isDirectory(stats)) {
      throw new IOException(bronze + " has no raw_statistics/ folder");
    }
    try (Stream<Path> s = Files.walk(stats)) {
      return s.filter(p -> p.toString().endsWith(".csv") && Files.isRegularFile(p))
          .sorted()
          .toList();
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static long memTotalMib() {
    try {
      for (String l : Files.readAllLines(Paths.get("/proc/meminfo"), StandardCharsets.UTF_8)) {
        if (l.startsWith("MemTotal:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: unknown
    }
    return -1;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
