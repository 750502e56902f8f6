package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code trendlake run --continuous} started on its own thread, on the CLI's path, over an {@link
 * Arrivals} bronze folder, and what the tests wait for while it runs: the lake's state ({@code
 * latest.json}) holding files with the change token they have on disk now.
 */
final class ContinuousJob {
  private final CompletableFuture<CliRun> run;
  final Path output;

  private ContinuousJob(CompletableFuture<CliRun> run, Path output) {
    this.run = run;
    this.output = output;
  }

  /** Starts the run with {@code --warehouse=none} unless the options name a warehouse. */
  static ContinuousJob start(Arrivals a, Path output, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of("run", "--continuous", "--input=" + a.bronze, "--output=" + output));
    if (List.of(options).stream().noneMatch(o -> o.startsWith("--warehouse="))) {
      args.add("--warehouse=none");
    }
    args.addAll(List.of(options));
    String[] cli = args.toArray(new String[0]);
    return new ContinuousJob(
        CompletableFuture.supplyAsync(() -> CliRun.of(cli), runOwnThread()), output);
  }

  /** A thread of its own: the common pool is small on a two-core machine. */
  private static java.util.concurrent.Executor runOwnThread() {
    return r -> {
      Thread t = new Thread(r, "continuous-run");
      t.setDaemon(true);
      t.start();
    };
  }

  /** Waits until every file (relative to the bronze root) is committed as it is on disk now. */
  void awaitCommitted(Arrivals a, Collection<String> files, long timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    TreeMap<String, String> want = new TreeMap<>();
    for (String f : files) {
      want.put(f, "mtime:" + Files.getLastModifiedTime(a.bronze.resolve(f)).toMillis());
    }
    TreeMap<String, String> have = new TreeMap<>();
    while (System.nanoTime() < deadline) {
      if (run.isDone()) {
        throw new AssertionError("the continuous run ended early:\n" + run.get().all());
      }
      have = committed(output);
      if (have.entrySet().containsAll(want.entrySet())) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "not committed in " + timeoutSeconds + " s: wanted " + want + ", the lake has " + have);
  }

  /** Waits for the run to end by itself ({@code --stopWhenIdle}); returns what it printed. */
  CliRun awaitEnd(long timeoutSeconds) throws Exception {
    CliRun r = run.get(timeoutSeconds, TimeUnit.SECONDS);
    assertEquals("exit status; output:\n" + r.all(), 0, r.status());
    return r;
  }

  boolean isRunning() {
    return !run.isDone();
  }

  /** Path to change token of every file in the lake's state. */
  static TreeMap<String, String> committed(Path output) throws IOException {
    TreeMap<String, String> out = new TreeMap<>();
    Path latest = output.resolve("_manifests/latest.json");
    if (!Files.exists(latest)) {
      return out;
    }
    JsonNode m;
    try {
      m = new ObjectMapper().readTree(latest.toFile());
    } catch (IOException e) {
      return out; // replaced while read: the next poll sees it whole
    }
    for (JsonNode f : m.path("files")) {
      out.put(f.path("path").asText(), f.path("token").asText());
    }
    return out;
  }

  /** The commit manifests of a continuous run, in commit order. */
  static List<JsonNode> commits(Path output, String jobId) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (var s = Files.list(output.resolve("_manifests"))) {
      for (Path p : s.sorted().toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith(jobId + ".") && n.endsWith(".json")) {
          out.add(new ObjectMapper().readTree(p.toFile()));
        }
      }
    }
    assertTrue("no commit of " + jobId + " under " + output, !out.isEmpty());
    return out;
  }
}
