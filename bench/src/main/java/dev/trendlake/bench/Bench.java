package dev.trendlake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.generate.GenerateCommand;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
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

  /**
   * The Flink run's heap, as './trendlake run' sets it: the embedded cluster's memory is bounded,
   * so a fixed heap (-Xms = -Xmx) makes the process's footprint a constant: 640 MiB + 64 MiB per
   * slot. The DirectRunner keeps every shuffle in memory and gets the JVM's default maximum heap
   * instead.
   */
  static List<String> flinkHeap(int parallelism) {
    int mib = 640 + 64 * parallelism;
    return List.of("-Xms" + mib + "m", "-Xmx" + mib + "m");
  }

  /** Options for the JVM of each child run, as the {@code ./trendlake} script passes them. */
  static final List<String> OPENS =
      List.of(
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED");

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

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Config c;
    try {
      c = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("trendlake bench: " + e.getMessage());
      usage(err);
      return 2;
    }
    if (c == null) {
      usage(out);
      return 0;
    }
    try {
      ObjectNode result = bench(c, out);
      Files.createDirectories(c.results().toAbsolutePath().getParent());
      Files.writeString(
          c.results(),
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result)
              + "\n");
      out.println();
      out.print(table(result));
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

  static Config parse(String[] args) {
    List<Long> rows = List.of(1_000_000L);
    List<String> runners = List.of("direct", "flink");
    String input = null;
    Path work = Paths.get(System.getProperty("java.io.tmpdir"), "trendlake-bench");
    int parallelism = 2;
    int repeat = 1;
    Path results = null;
    String regions = null;
    long seed = 1;
    String env = System.getenv("TRENDLAKE_JAVA_OPTS");
    // empty: each runner's default heap, as './trendlake run' picks it
    List<String> javaOpts =
        env == null || env.isBlank() ? List.of() : List.of(env.trim().split("\\s+"));
    String classpath = System.getProperty("java.class.path");
    List<String> runArgs = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        return null;
      }
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --name=value, got '" + a + "'");
      }
      String name = a.substring(2, eq);
      String v = a.substring(eq + 1);
      switch (name) {
        case "rows" ->
            rows = Arrays.stream(v.split(",")).map(GenerateCommandAccess::count).toList();
        case "runners" -> {
          runners =
              Arrays.stream(v.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
          for (String r : runners) {
            if (!r.equals("direct") && !r.equals("flink")) {
              throw new IllegalArgumentException(
                  "--runners: '" + r + "' is neither direct nor flink");
            }
          }
        }
        case "input" -> input = v;
        case "work" -> work = Paths.get(v);
        case "parallelism" -> parallelism = Integer.parseInt(v);
        case "repeat" -> repeat = Integer.parseInt(v);
        case "results" -> results = Paths.get(v);
        case "regions" -> regions = v;
        case "seed" -> seed = Long.parseLong(v);
        case "javaOpts" -> javaOpts = List.of(v.trim().split("\\s+"));
        case "classpath" -> classpath = v;
        case "runArg" -> runArgs.add(v);
        default -> throw new IllegalArgumentException("unknown option --" + name);
      }
    }
    if (repeat < 1 || parallelism < 1) {
      throw new IllegalArgumentException("--repeat and --parallelism must be at least 1");
    }
    if (results == null) {
      results = work.resolve("results.json");
    }
    return new Config(
        rows,
        runners,
        input,
        work.toAbsolutePath(),
        parallelism,
        repeat,
        results,
        regions,
        seed,
        javaOpts,
        classpath,
        runArgs);
  }

  /** Bridges to the generator's count parser (1000, 250k, 1m). */
  private static final class GenerateCommandAccess {
    static Long count(String v) {
      String s = v.strip().toLowerCase(Locale.ROOT).replace("_", "");
      long mult = s.endsWith("k") ? 1_000 : s.endsWith("m") ? 1_000_000 : 1;
      if (mult > 1) {
        s = s.substring(0, s.length() - 1);
      }
      return Long.parseLong(s) * mult;
    }
  }

  static ObjectNode bench(Config c, PrintStream out) throws IOException {
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
          if (GenerateCommand.run(g.toArray(new String[0]), out, System.err) != 0) {
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
      Config c, String runner, Path bronze, long rows, long bytes, int attempt, PrintStream out)
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
      cmd.addAll(flinkHeap(c.parallelism()));
    }
    cmd.addAll(OPENS);
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

  static String table(JsonNode result) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-8s %10s %9s %8s %9s %7s %7s %8s %8s %7s %12s%n",
            "runner",
            "rows",
            "MB",
            "wall_s",
            "rows/s",
            "MB/s",
            "cpu_s",
            "rss_MiB",
            "heap_MiB",
            "x_floor",
            "load(1m)"));
    for (JsonNode f : result.path("parse_floor")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-8s %10d %9.1f %8.2f %9d %7.1f %7s %8s %8s %7s %12s%n",
              "floor",
              f.path("rows").asLong(),
              f.path("bytes").asLong() / 1e6,
              f.path("wall_s").asDouble(),
              f.path("rows_per_s").asLong(),
              f.path("mb_per_s").asDouble(),
              "-",
              "-",
              "-",
              "1.00",
              "-"));
    }
    for (JsonNode r : result.path("runs")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-8s %10d %9.1f %8.2f %9d %7.1f %7.1f %8d %8d %7.2f %12s%n",
              r.path("runner").asText(),
              r.path("rows").asLong(),
              r.path("bytes").asLong() / 1e6,
              r.path("wall_s").asDouble(),
              r.path("rows_per_s").asLong(),
              r.path("mb_per_s").asDouble(),
              r.path("cpu_s").asDouble(),
              r.path("peak_rss_mib").asLong(),
              r.path("peak_heap_mib").asLong(),
              r.path("x_parse_floor").asDouble(),
              r.path("load_before").asText().split(" ")[0]));
    }
    for (JsonNode r : result.path("runs")) {
      StringJoiner stages = new StringJoiner(", ");
      r.path("stage_s")
          .fields()
          .forEachRemaining(e -> stages.add(e.getKey() + " " + e.getValue().asDouble()));
      if (stages.length() > 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                "stages of %s, %d rows (s): %s%n",
                r.path("runner").asText(),
                r.path("rows").asLong(),
                stages));
      }
    }
    return sb.toString();
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

  static void usage(PrintStream out) {
    out.println("Usage: ./trendlake bench [--rows=1m[,4m]] [--runners=direct,flink] [options]");
    out.println();
    out.println(
        "Generates the input once per size (or takes --input), measures the parse floor (the same"
            + " CSV");
    out.println(
        "reader, one thread, no Beam), then runs the pipeline per runner in a child JVM and reports"
            + " wall");
    out.println(
        "time, rows/s, MB/s, CPU time, peak RSS and heap, and the ratio to the parse floor.");
    out.println();
    out.println("  --rows=N[,M...]     sizes to generate (default 1m)");
    out.println("  --input=PATH        use this bronze folder instead of generating");
    out.println("  --runners=LIST      direct, flink (default both)");
    out.println("  --parallelism=P     Flink parallelism / DirectRunner threads (default 2)");
    out.println("  --repeat=N          runs per runner and size (default 1)");
    out.println("  --work=DIR          inputs, outputs and logs (default $TMPDIR/trendlake-bench)");
    out.println("  --results=FILE      JSON results (default <work>/results.json)");
    out.println("  --regions=us,gb     regions to generate; --seed=S generator seed (default 1)");
    out.println(
        "  --javaOpts='-Xmx..' JVM options of each run (default $TRENDLAKE_JAVA_OPTS, else as"
            + " './trendlake run':");
    out.println(
        "                     -Xms/-Xmx 640m + 64m per slot for Flink, the JVM's default heap for"
            + " the DirectRunner)");
    out.println("  --runArg=--x=y      extra option for 'trendlake run' (repeatable)");
  }

  /** Polls a child's {@code /proc/<pid>} for its peak RSS and CPU time until stopped. */
  static final class ProcWatch implements Runnable {
    private final long pid;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakKib;
    private volatile double cpu;

    private ProcWatch(long pid) {
      this.pid = pid;
      this.thread = new Thread(this, "bench-procwatch-" + pid);
      this.thread.setDaemon(true);
    }

    static ProcWatch start(long pid) {
      ProcWatch w = new ProcWatch(pid);
      w.thread.start();
      return w;
    }

    @Override
    public void run() {
      while (running) {
        poll();
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void poll() {
      try {
        for (String l :
            Files.readAllLines(
                new File("/proc/" + pid + "/status").toPath(), StandardCharsets.UTF_8)) {
          if (l.startsWith("VmHWM:")) {
            peakKib = Math.max(peakKib, Long.parseLong(l.replaceAll("[^0-9]", "")));
          }
        }
        String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command; clock ticks of
        // 1/100 s
        cpu = Math.max(cpu, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0);
      } catch (IOException | RuntimeException e) {
        // the process has ended: keep the last figures
      }
    }

    void stop() {
      running = false;
      thread.interrupt();
    }

    long peakRssKib() {
      return peakKib;
    }

    double cpuSeconds() {
      return cpu;
    }
  }
}
