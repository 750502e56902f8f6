package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A continuous job on the standalone multi-process cluster ({@link StandaloneFlinkCluster}),
 * launched as a user launches it ({@code java -jar trendlake-bundled.jar run --continuous
 * --flinkMaster=...}), restored by Flink from its own state: once after the TaskManager JVM is
 * killed while a commit is under way (Flink restarts the job from its last checkpoint on a new
 * TaskManager), once stopped with a savepoint and started again from it. Each time the lake, once
 * all bronze has arrived, equals one batch run's, the JobManager says the job was restored (from a
 * checkpoint, from the savepoint), and a watcher that looks at the lake every few milliseconds
 * never saw a partition file half-written.
 */
public class ContinuousClusterIT {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static StandaloneFlinkCluster cluster;
  private static Path jar;

  @BeforeClass
  public static void startCluster() throws Exception {
    jar =
        Paths.get(System.getProperty("trendlake.bundledJar", "target/trendlake-bundled.jar"))
            .toAbsolutePath();
    assertTrue("the bundled jar is built by 'mvn package' first: " + jar, Files.isRegularFile(jar));
    cluster = StandaloneFlinkCluster.start(TestRuns.newOutput("flink-cluster-continuous"), 2);
  }

  @AfterClass
  public static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  public void aKilledTaskManagerMidCommitRestoresFromTheCheckpointAndGivesTheBatchLake()
      throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("continuous").toPath();
    try (LakeWatch watch = LakeWatch.start(out)) {
      Path log = tmp.getRoot().toPath().resolve("tm-kill.log");
      Process job = launch(a, out, log, "--runId=cont-tmkill");
      try {
        awaitCommitted(job, log, a, out, ContinuousRunTest.arrive(a, 0));
        String jobId = awaitCheckpoint(log, job);
        List<String> second = ContinuousRunTest.arrive(a, 1);
        // kill while this wave's commit writes its partitions (or, if it is quick, right after)
        boolean midCommit = awaitStaging(out, 60);
        System.out.println("TaskManager killed while a commit staged its files: " + midCommit);
        cluster.killTaskManager();
        cluster.startTaskManager();
        awaitCommitted(job, log, a, out, second);
        awaitCommitted(job, log, a, out, ContinuousRunTest.arrive(a, 2));
        assertEquals("the launcher's status:\n" + Files.readString(log), 0, awaitEnd(job, log));
        JsonNode restored = checkpoints(jobId).path("latest").path("restored");
        assertFalse(
            "Flink restored the job from a checkpoint (killed mid-commit: " + midCommit + ")",
            restored.isMissingNode() || restored.isNull());
        assertFalse(restored.path("is_savepoint").asBoolean());
      } finally {
        job.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      watch.assertNothingHalfWritten();
    }
    assertSameAsBatch(a, out, "continuous job whose TaskManager was killed");
  }

  @Test
  public void stoppedWithASavepointAndStartedFromItGivesTheBatchLake() throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("continuous").toPath();
    Path savepoints = tmp.newFolder("savepoints").toPath();
    String savepoint;
    try (LakeWatch watch = LakeWatch.start(out)) {
      Path log = tmp.getRoot().toPath().resolve("first.log");
      Process first = launch(a, out, log, "--runId=cont-sp1");
      try {
        awaitCommitted(first, log, a, out, ContinuousRunTest.arrive(a, 0));
        String jobId = awaitCheckpoint(log, first);
        savepoint = stopWithSavepoint(jobId, savepoints);
        assertEquals(
            "stopped with a savepoint:\n" + Files.readString(log), 0, awaitEnd(first, log));
      } finally {
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      assertFalse("the lock is released", Files.exists(out.resolve("_lock.json")));
      List<String> whileStopped = ContinuousRunTest.arrive(a, 1);
      Path log2 = tmp.getRoot().toPath().resolve("second.log");
      Process second = launch(a, out, log2, "--runId=cont-sp2", "--savepointPath=" + savepoint);
      try {
        awaitCommitted(second, log2, a, out, whileStopped);
        String jobId = awaitJob(log2, second);
        awaitCommitted(second, log2, a, out, ContinuousRunTest.arrive(a, 2));
        JsonNode restored = checkpoints(jobId).path("latest").path("restored");
        assertTrue(
            "restored from the savepoint: " + restored, restored.path("is_savepoint").asBoolean());
        assertEquals("second job:\n" + Files.readString(log2), 0, awaitEnd(second, log2));
      } finally {
        second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      watch.assertNothingHalfWritten();
    }
    assertSameAsBatch(a, out, "continuous job stopped with a savepoint, then started from it");
  }

  /** The watch itself: a Parquet file cut short is reported, a whole one is not. */
  @Test
  public void theLakeWatchSeesAFileCutShort() throws Exception {
    Path out = tmp.newFolder("watched").toPath();
    Path whole = Files.list(TestRuns.direct().root.resolve("gold")).findFirst().orElseThrow();
    Path copy = out.resolve("gold").resolve(whole.getFileName());
    try (Stream<Path> files = Files.walk(whole)) {
      Path part = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.createDirectories(copy);
      Files.copy(part, copy.resolve("whole.parquet"));
      byte[] bytes = Files.readAllBytes(part);
      Files.write(copy.resolve("cut.parquet"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }
    AssertionError seen = null;
    try (LakeWatch watch = LakeWatch.start(out)) {
      Thread.sleep(200);
      watch.assertNothingHalfWritten();
    } catch (AssertionError e) {
      seen = e;
    }
    assertTrue("reported", seen != null && seen.getMessage().contains("cut.parquet"));
    assertFalse(seen.getMessage(), seen.getMessage().contains("whole.parquet"));
  }

  private void assertSameAsBatch(Arrivals a, Path out, String what) throws IOException {
    Path batch = tmp.newFolder("batch").toPath();
    Arrivals.succeeded(a.run(batch, "--runner=DirectRunner"));
    Arrivals.assertSameLake(what + " vs 1 batch run", batch, out);
  }

  /** The bundled jar's continuous run on the cluster, as a child process. */
  private static Process launch(Arrivals a, Path out, Path log, String... options)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(cluster.java(), "-Xmx512m"));
    cmd.addAll(cluster.jvmOpens);
    cmd.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "run",
            "--continuous",
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.master(),
            "--parallelism=2",
            "--checkpointingInterval=2000",
            "--minPauseBetweenCheckpoints=500",
            "--numberOfExecutionRetries=10",
            "--executionRetryDelay=2000",
            "--watchInterval=PT1S",
            "--commitDelay=PT2S",
            "--stopWhenIdle=PT8S",
            "--warehouse=none",
            "--input=" + a.bronze,
            "--output=" + out));
    cmd.addAll(List.of(options));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("FLINK_CONF_DIR", cluster.confDir.toString());
    return pb.start();
  }

  private static void awaitCommitted(
      Process job, Path log, Arrivals a, Path out, List<String> files) throws Exception {
    java.util.TreeMap<String, String> want = new java.util.TreeMap<>();
    for (String f : files) {
      want.put(f, "mtime:" + Files.getLastModifiedTime(a.bronze.resolve(f)).toMillis());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!ContinuousJob.committed(out).entrySet().containsAll(want.entrySet())) {
      if (!job.isAlive()) {
        throw new AssertionError("the job ended early:\n" + Files.readString(log) + cluster.logs());
      }
      assertTrue(
          "committed in time: " + want + "\n" + cluster.logs(), System.nanoTime() < deadline);
      Thread.sleep(200);
    }
  }

  /** Waits for staging of a commit under way; false if none was seen in time. */
  private static boolean awaitStaging(Path out, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Path staging = out.resolve("_staging");
      if (Files.isDirectory(staging)) {
        try (Stream<Path> s = Files.walk(staging)) {
          if (s.anyMatch(p -> p.toString().endsWith(".parquet"))) {
            return true;
          }
        } catch (IOException | java.io.UncheckedIOException moved) {
          // files moved while listed
        }
      }
      Thread.sleep(20);
    }
    return false;
  }

  private static String awaitJob(Path log, Process job) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      for (JsonNode j : get("/jobs/overview").path("jobs")) {
        if ("RUNNING".equals(j.path("state").asText())) {
          return j.path("jid").asText();
        }
      }
      assertTrue("the job runs:\n" + Files.readString(log), job.isAlive());
      Thread.sleep(500);
    }
    throw new AssertionError("no running job on the cluster:\n" + Files.readString(log));
  }

  /** Waits until the running job has completed a checkpoint since now; returns its id. */
  private static String awaitCheckpoint(Path log, Process job) throws Exception {
    String jobId = awaitJob(log, job);
    long before = checkpoints(jobId).path("counts").path("completed").asLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (checkpoints(jobId).path("counts").path("completed").asLong() <= before) {
      assertTrue(
          "a checkpoint completes: " + checkpoints(jobId).path("counts") + "\n" + cluster.logs(),
          System.nanoTime() < deadline);
      Thread.sleep(500);
    }
    return jobId;
  }

  private static JsonNode checkpoints(String jobId) throws Exception {
    return get("/jobs/" + jobId + "/checkpoints");
  }

  /** Stops the job with a savepoint (Flink's {@code flink stop}); returns the savepoint's path. */
  private static String stopWithSavepoint(String jobId, Path dir) throws Exception {
    String body =
        JSON.createObjectNode()
            .put("targetDirectory", dir.toUri().toString())
            .put("drain", false)
            .toString();
    JsonNode trigger =
        JSON.readTree(
            send(
                HttpRequest.newBuilder(uri("/jobs/" + jobId + "/stop"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build()));
    String request = trigger.path("request-id").asText();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      JsonNode s = get("/jobs/" + jobId + "/savepoints/" + request);
      if ("COMPLETED".equals(s.path("status").path("id").asText())) {
        JsonNode op = s.path("operation");
        assertTrue("the savepoint succeeded: " + op, op.has("location"));
        return op.path("location").asText();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the savepoint did not complete in time\n" + cluster.logs());
  }

  private static int awaitEnd(Process job, Path log) throws Exception {
    assertTrue(
        "the launcher ended:\n" + Files.readString(log) + cluster.logs(),
        job.waitFor(300, TimeUnit.SECONDS));
    return job.exitValue();
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + cluster.restPort + path);
  }

  private static JsonNode get(String path) throws Exception {
    return JSON.readTree(send(HttpRequest.newBuilder(uri(path)).GET().build()));
  }

  private static String send(HttpRequest req) throws Exception {
    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    assertTrue(req.uri() + ": HTTP " + r.statusCode() + " " + r.body(), r.statusCode() / 100 == 2);
    return r.body();
  }

  /**
   * Looks at the lake every few milliseconds while a job commits: every Parquet file a reader can
   * see under silver/, gold/ and quarantine/ must be whole (Parquet's magic at both ends and a
   * footer that fits), since commits stage files elsewhere and move them in.
   */
  static final class LakeWatch implements AutoCloseable {
    private final Path out;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Set<String> broken = new ConcurrentSkipListSet<>();
    private final Set<String> seen = new ConcurrentSkipListSet<>();
    private final Thread thread;

    private LakeWatch(Path out) {
      this.out = out;
      this.thread = new Thread(this::loop, "lake-watch");
      thread.setDaemon(true);
    }

    static LakeWatch start(Path out) {
      LakeWatch w = new LakeWatch(out);
      w.thread.start();
      return w;
    }

    private void loop() {
      while (!stop.get()) {
        for (String area : List.of("silver", "gold", "quarantine")) {
          Path root = out.resolve(area);
          if (!Files.isDirectory(root)) {
            continue;
          }
          try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> p.toString().endsWith(".parquet")).forEach(this::check);
          } catch (IOException | java.io.UncheckedIOException replaced) {
            // a partition replaced while listed: the next round sees it
          }
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void check(Path f) {
      try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
        long n = r.length();
        byte[] head = new byte[4];
        byte[] tail = new byte[8];
        if (n < 12) {
          broken.add(f + " (" + n + " bytes)");
          return;
        }
        r.readFully(head);
        r.seek(n - 8);
        r.readFully(tail);
        int footer =
            (tail[0] & 0xff)
                | (tail[1] & 0xff) << 8
                | (tail[2] & 0xff) << 16
                | (tail[3] & 0xff) << 24;
        boolean whole =
            "PAR1".equals(new String(head, StandardCharsets.US_ASCII))
                && "PAR1".equals(new String(tail, 4, 4, StandardCharsets.US_ASCII))
                && footer > 0
                && footer <= n - 12;
        if (!whole) {
          broken.add(f + " (" + n + " bytes)");
        }
        seen.add(out.relativize(f).toString());
      } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException gone) {
        // replaced by a commit between the listing and the read
      } catch (IOException e) {
        broken.add(f + ": " + e.getMessage());
      }
    }

    void assertNothingHalfWritten() {
      assertTrue("the watch saw the lake's files", !seen.isEmpty());
      assertTrue("half-written files seen by a reader: " + broken, broken.isEmpty());
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(10_000);
    }
  }
}
