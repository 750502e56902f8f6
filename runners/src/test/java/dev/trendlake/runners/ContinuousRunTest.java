package dev.trendlake.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trendlake.pipeline.FailPoint;
import dev.trendlake.pipeline.commit.StreamingCommit;
import dev.trendlake.pipeline.continuous.DrainSignal;
import dev.trendlake.pipeline.continuous.WatchBronze;
import dev.trendlake.testkit.TestWarehouse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.slf4j.LoggerFactory;

/**
 * {@code trendlake run --continuous}: bronze arrives in three waves while the job runs (a late file
 * for a partition already committed, a better copy of a committed row, a new category file and a
 * changed one), and when the job has ended by itself ({@code --stopWhenIdle}) its lake (silver,
 * gold, quarantine, the state in {@code latest.json}) and its warehouse equal those of one batch
 * run over all the files. On the embedded Flink cluster (checkpoints on) and on the DirectRunner.
 */
public class ContinuousRunTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static TestWarehouse db;

  static final String CA_CATEGORIES = "raw_statistics_reference_data/CA_category_id.json";

  /** The three waves: files of the incremental test's batches, then the late file and a change. */
  static final List<List<String>> WAVES =
      List.of(
          join(IncrementalRunTest.BATCHES.get(0), IncrementalRunTest.BATCHES.get(1)),
          join(IncrementalRunTest.BATCHES.get(2), IncrementalRunTest.BATCHES.get(3)),
          IncrementalRunTest.BATCHES.get(4));

  @BeforeClass
  public static void startWarehouse() throws IOException {
    db = new TestWarehouse();
  }

  @AfterClass
  public static void stopWarehouse() throws IOException {
    if (db != null) {
      db.close();
    }
  }

  private static List<String> join(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** Wave {@code i} lands in the bronze folder; returns the files it wrote. */
  static List<String> arrive(Arrivals a, int i) throws IOException {
    a.arrive(WAVES.get(i));
    List<String> files = new ArrayList<>(WAVES.get(i));
    if (i == 2) {
      // a late file for a committed partition, with a better copy of one of its rows
      a.write(IncrementalRunTest.LATE, IncrementalRunTest.LATE_CSV);
      files.add(IncrementalRunTest.LATE);
      // a processed category file changes: every CA title, so CA's gold must be joined again
      Path ca = a.bronze.resolve(CA_CATEGORIES);
      String text = Files.readString(ca, StandardCharsets.UTF_8);
      Files.writeString(ca, text.replace("\"title\": \"", "\"title\": \"CA "));
      Files.setLastModifiedTime(
          ca, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
    }
    return files;
  }

  @Test
  public void onEmbeddedFlinkThreeWavesGiveTheLakeAndWarehouseOfOneBatchRun() throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("continuous").toPath();
    ContinuousJob job =
        ContinuousJob.start(
            a,
            out,
            "--runner=FlinkRunner",
            "--parallelism=2",
            "--checkpointingInterval=2000",
            "--runId=cont-flink",
            "--watchInterval=PT1S",
            "--commitDelay=PT1S",
            "--stopWhenIdle=PT4S",
            "--warehouse=" + db.url(),
            "--warehouseUser=postgres",
            "--warehouseSchema=continuous");
    ListAppender<ILoggingEvent> runnerLog = new ListAppender<>();
    runnerLog.start();
    ch.qos.logback.classic.Logger runner =
        (ch.qos.logback.classic.Logger)
            LoggerFactory.getLogger("org.apache.beam.runners.flink.FlinkRunner");
    for (int i = 0; i < WAVES.size(); i++) {
      job.awaitCommitted(a, arrive(a, i), 240);
      if (i == 0) {
        runner.addAppender(runnerLog); // once the launcher has set logback up
      }
    }
    CliRun r = job.awaitEnd(240);
    runner.detachAppender(runnerLog);
    synchronized (runnerLog) {
      assertEquals(
          "the launcher's cancel at the end is not logged as a failed execution",
          List.of(),
          runnerLog.list.stream()
              .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR))
              .map(ILoggingEvent::getFormattedMessage)
              .toList());
    }
    assertEquals("the runner's log level is back", null, runner.getLevel());
    assertThat(r.out(), containsString("watches " + a.bronze));
    assertThat(r.out(), containsString("ended after"));
    assertThat(r.all(), not(containsString("\tat ")));

    Path batch = tmp.newFolder("batch").toPath();
    Arrivals.succeeded(
        CliRun.of(
            "run",
            "--input=" + a.bronze,
            "--output=" + batch,
            "--runner=DirectRunner",
            "--warehouse=" + db.url(),
            "--warehouseUser=postgres",
            "--warehouseSchema=batch"));
    Arrivals.assertSameLake("3 waves on a continuous Flink job vs 1 batch run", batch, out);
    assertSameWarehouse("continuous", "batch");

    List<JsonNode> commits = ContinuousJob.commits(out, "cont-flink");
    for (JsonNode c : commits) {
      assertEquals(c.path("run_id").asText(), "succeeded", c.path("status").asText());
      assertEquals(0, c.path("problems").size());
    }
    assertTrue("a commit per wave at least: " + commits.size(), commits.size() >= WAVES.size());
    assertThat(
        "the better copy won",
        String.join(
            "\n",
            LakeSnapshot.rowsOf(out).rows.get("gold/trending/region=us/trending_date=2017-11-14")),
        containsString("748999"));
    assertThat(
        "CA's gold was joined again with the changed titles",
        String.join(
            "\n", LakeSnapshot.rowsOf(out, "gold/trending/region=ca/trending_date=2017-11-14")),
        containsString("\"category_title\": \"CA "));
  }

  /**
   * A task of the Flink job fails once right after a commit reached the lake, before the committer
   * forgets its events: Flink restarts the job from its last checkpoint, the events of the
   * committed files come again, and the commit recognises them (latest.json holds those files) so
   * nothing is counted twice: the lake still equals one batch run's.
   */
  @Test
  public void onEmbeddedFlinkAFailureAfterACommitRestartsWithoutCountingTwice() throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("continuous").toPath();
    Path marker = tmp.getRoot().toPath().resolve("failed-once");
    try {
      ContinuousJob job = restartable(a, out, "--runId=cont-restart", "--executionRetryDelay=1000");
      for (int i = 0; i < WAVES.size(); i++) {
        if (i == WAVES.size() - 1) {
          // armed once the job has run long enough to have checkpoints: the last wave's rows
          // wait in CommitDelay across at least one of them before their commit fails
          failOnceAfterTheNextCommit(marker);
        }
        job.awaitCommitted(a, arrive(a, i), 240);
      }
      job.awaitEnd(240);
    } finally {
      disarmFailure();
    }
    assertTrue("the job failed once", Files.exists(marker));
    Path batch = tmp.newFolder("batch").toPath();
    Arrivals.succeeded(a.run(batch, "--runner=DirectRunner"));
    Arrivals.assertSameLake("a Flink job restarted after a commit vs 1 batch run", batch, out);
    for (JsonNode c : ContinuousJob.commits(out, "cont-restart")) {
      assertEquals(c.path("run_id").asText(), "succeeded", c.path("status").asText());
      assertEquals(0, c.path("problems").size());
    }
  }

  /**
   * A task fails right after the commit that took a file in, and the file is rewritten (as many
   * lines, other counts) before Flink restores the job from its last checkpoint, taken while that
   * file's rows still waited in CommitDelay: the rows replayed from the checkpoint are the version
   * committed and are dropped, never taken for the new version's (same file and lines), and with
   * {@code --reprocess=changed} the new version is taken in whole. The lake equals one batch run
   * over the final bronze.
   */
  @Test
  public void onEmbeddedFlinkAFileRewrittenBeforeARestoreIsTakenInWhole() throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("continuous").toPath();
    Path marker = tmp.getRoot().toPath().resolve("failed-once");
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    String rewritten =
        IncrementalRunTest.LATE_CSV
            .replace(",748999,", ",749500,")
            .replace(",1000,10,1,5,", ",2000,20,2,6,");
    try {
      ContinuousJob job =
          restartable(
              a, out, "--runId=cont-rewrite", "--executionRetryDelay=3000", "--reprocess=changed");
      job.awaitCommitted(a, arrive(a, 0), 240);
      // the committer's log, read from logback once the launcher has set it up
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(StreamingCommit.class))
          .addAppender(log);
      job.awaitCommitted(a, arrive(a, 1), 240);
      // the next commit with partitions is the late file's
      failOnceAfterTheNextCommit(marker);
      a.write(IncrementalRunTest.LATE, IncrementalRunTest.LATE_CSV);
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(240);
      while (!Files.exists(marker)) {
        assertTrue("the commit of the late file failed once", System.nanoTime() < deadline);
        Thread.sleep(20);
      }
      // within the restart delay: the restored job finds the new version in bronze
      Thread.sleep(1100); // a later modification time than the version committed
      a.write(IncrementalRunTest.LATE, rewritten);
      job.awaitCommitted(a, List.of(IncrementalRunTest.LATE), 240);
      job.awaitEnd(240);
    } finally {
      disarmFailure();
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(StreamingCommit.class))
          .detachAppender(log);
    }
    Path batch = tmp.newFolder("batch").toPath();
    Arrivals.succeeded(a.run(batch, "--runner=DirectRunner"));
    Arrivals.assertSameLake("a file rewritten before a restore vs 1 batch run", batch, out);
    for (JsonNode c : ContinuousJob.commits(out, "cont-rewrite")) {
      assertEquals(c.path("run_id").asText(), "succeeded", c.path("status").asText());
      assertEquals(0, c.path("problems").size());
    }
    String usDay =
        String.join(
            "\n", LakeSnapshot.rowsOf(out, "gold/trending/region=us/trending_date=2017-11-14"));
    assertThat("the new version's counts", usDay, containsString("749500"));
    assertThat("none of the version replaced", usDay, not(containsString("748999")));
    String committerLog;
    synchronized (log) {
      committerLog =
          log.list.stream()
              .map(ILoggingEvent::getFormattedMessage)
              .collect(java.util.stream.Collectors.joining("\n"));
    }
    assertThat(
        "the restore replayed the committed version's records",
        committerLog,
        containsString("delivered again of files already committed"));
  }

  /**
   * A job on embedded Flink that checkpoints every second and restarts from its last checkpoint
   * after a failure, with {@code more} options.
   */
  private static ContinuousJob restartable(Arrivals a, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runner=FlinkRunner",
                "--parallelism=2",
                "--checkpointingInterval=1000",
                "--watchInterval=PT1S",
                "--commitDelay=PT3S",
                "--stopWhenIdle=PT4S"));
    args.addAll(List.of(more));
    return ContinuousJob.start(a, out, args.toArray(new String[0]));
  }

  /** The job (in this JVM) fails once right after its next commit that rewrites partitions. */
  private static void failOnceAfterTheNextCommit(Path marker) {
    System.setProperty("trendlake.failOnceMarker", marker.toString());
    System.setProperty("trendlake.failOnceAt", FailPoint.AFTER_COMMIT);
  }

  private static void disarmFailure() {
    System.clearProperty("trendlake.failOnceAt");
    System.clearProperty("trendlake.failOnceMarker");
  }

  @Test
  public void onTheDirectRunnerTheWavesGiveTheLakeOfOneBatchRun() throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("continuous").toPath();
    ContinuousJob job =
        ContinuousJob.start(
            a,
            out,
            "--runId=cont-direct",
            "--watchInterval=PT1S",
            "--commitDelay=PT1S",
            "--stopWhenIdle=PT3S");
    for (int i = 0; i < WAVES.size(); i++) {
      job.awaitCommitted(a, arrive(a, i), 240);
    }
    CliRun r = job.awaitEnd(240);
    assertThat(r.out(), containsString("on DirectRunner"));
    Path batch = tmp.newFolder("batch").toPath();
    Arrivals.succeeded(a.run(batch, "--runner=DirectRunner"));
    Arrivals.assertSameLake("3 waves on a continuous DirectRunner job vs 1 batch run", batch, out);
  }

  /**
   * A stop request (what Ctrl-C writes) ends the job once what it read is committed, even with a
   * wave landing at that moment; a second job started later goes on from the lake the first left,
   * and the result is still that of one batch run.
   */
  @Test
  public void aStoppedJobEndsAfterItsCommitsAndTheNextGoesOnFromTheLake() throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("continuous").toPath();
    ContinuousJob first =
        ContinuousJob.start(
            a, out, "--runId=cont-first", "--watchInterval=PT1S", "--commitDelay=PT4S");
    first.awaitCommitted(a, arrive(a, 0), 240);
    List<String> landing = arrive(a, 1);
    // most often the watcher has emitted the wave by now and its rows wait in CommitDelay: the
    // stop must then wait for their commit; either way the end result is checked below
    Thread.sleep(3000);
    DrainSignal.request(out.toString(), "the test stops the job");
    CliRun stopped = first.awaitEnd(240);
    assertThat(stopped.out(), containsString("ended after"));
    assertTrue(
        "the stop request is removed", !Files.exists(Path.of(DrainSignal.path(out.toString()))));
    for (JsonNode c : ContinuousJob.commits(out, "cont-first")) {
      assertEquals(c.path("run_id").asText(), "succeeded", c.path("status").asText());
      assertEquals(0, c.path("problems").size());
    }

    ContinuousJob second =
        ContinuousJob.start(
            a,
            out,
            "--runId=cont-second",
            "--watchInterval=PT1S",
            "--commitDelay=PT1S",
            "--stopWhenIdle=PT3S");
    second.awaitCommitted(a, landing, 240);
    second.awaitCommitted(a, arrive(a, 2), 240);
    second.awaitEnd(240);
    assertTrue(
        "the second job committed the last wave",
        ContinuousJob.commits(out, "cont-second").size() >= 1);
    Path batch = tmp.newFolder("batch").toPath();
    Arrivals.succeeded(a.run(batch, "--runner=DirectRunner"));
    Arrivals.assertSameLake("a job stopped, then another one vs 1 batch run", batch, out);
  }

  /**
   * Processed files that change or disappear while a job runs follow {@code --reprocess}. Without
   * it (the first job) each is named once in the log and the lake keeps what it read; a job with
   * {@code --reprocess=changed} (the second, started on the same lake) retracts them: the late
   * file's new version no longer holds the better copy of a US row, so the copy it had beaten comes
   * back from the US file, read again for that partition; the CA file is gone, so CA's partitions
   * go, lake and warehouse. Then the US file itself changes while the second job runs. The lake and
   * warehouse equal one batch run over the bronze as it ends.
   */
  @Test
  public void changedAndDeletedFilesFollowReprocessWhileTheJobRuns() throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("continuous").toPath();
    String[] common = {
      "--watchInterval=PT1S",
      "--commitDelay=PT1S",
      "--warehouse=" + db.url(),
      "--warehouseUser=postgres",
      "--warehouseSchema=reprocessed"
    };
    ContinuousJob first = ContinuousJob.start(a, out, with(common, "--runId=cont-left"));
    first.awaitCommitted(a, arrive(a, 0), 240);
    // the job runs in this JVM: its watcher's log is read from logback, once the launcher has set
    // logback up
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(WatchBronze.class)).addAppender(log);
    for (int i = 1; i < WAVES.size(); i++) {
      first.awaitCommitted(a, arrive(a, i), 240);
    }
    LakeSnapshot before = LakeSnapshot.rowsOf(out);
    String ca = "raw_statistics/region=CA/ts=201711140000/CAvideos.csv";
    a.write(
        IncrementalRunTest.LATE,
        IncrementalRunTest.LATE_CSV.substring(0, IncrementalRunTest.LATE_CSV.indexOf("2kyS6SvSYSE"))
            + IncrementalRunTest.LATE_CSV
                .substring(IncrementalRunTest.LATE_CSV.indexOf("LATEvideo01"))
                .replace(",1000,10,1,5,", ",2000,20,2,6,"));
    Files.delete(a.bronze.resolve(ca));
    String warned = "";
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
    while (!warned.contains("gone from bronze") || !warned.contains("changed after")) {
      assertTrue("the watcher named the files in 120 s:\n" + warned, System.nanoTime() < deadline);
      Thread.sleep(200);
      synchronized (log) {
        warned =
            log.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .collect(java.util.stream.Collectors.joining("\n"));
      }
    }
    // a few more polls: the changes stay left
    Thread.sleep(3000);
    DrainSignal.request(out.toString(), "the test stops the job");
    first.awaitEnd(240);
    assertThat(warned, containsString(IncrementalRunTest.LATE + " changed after it was read"));
    assertThat(warned, containsString(ca + " was processed and is gone from bronze"));
    assertThat(warned, containsString("run the job with --reprocess=changed"));
    assertEquals(
        "without --reprocess the lake keeps what it read",
        before.rows,
        LakeSnapshot.rowsOf(out).rows);

    ContinuousJob second =
        ContinuousJob.start(
            a,
            out,
            with(common, "--runId=cont-reprocess", "--reprocess=changed", "--stopWhenIdle=PT10S"));
    second.awaitCommitted(a, List.of(IncrementalRunTest.LATE), 240);
    awaitGone(second, out, ca);
    // the US file changes while the job runs: a row re-fetched with more views, one row gone
    Path us = a.bronze.resolve(IncrementalRunTest.US);
    List<String> lines = new ArrayList<>(Files.readAllLines(us, StandardCharsets.ISO_8859_1));
    lines.set(1, lines.get(1).replace(",748374,", ",750000,"));
    lines.remove(2);
    Files.write(us, lines, StandardCharsets.ISO_8859_1);
    second.awaitCommitted(a, List.of(IncrementalRunTest.US), 240);
    CliRun r = second.awaitEnd(240);
    assertThat(r.all(), not(containsString("\tat ")));

    Path batch = tmp.newFolder("batch").toPath();
    // without the CA file, most of this small bronze is bad on purpose: the default rules'
    // quarantine ratio would reject the batch run (a continuous job applies no rules)
    Path lenient = tmp.getRoot().toPath().resolve("lenient.yaml");
    Files.writeString(
        lenient,
        "rules:\n  - {name: any_rows, check: min_rows, per: region, min: 1, severity: warn}\n");
    Arrivals.succeeded(
        a.run(
            batch,
            "--runner=DirectRunner",
            "--qualityRules=" + lenient,
            "--warehouse=" + db.url(),
            "--warehouseUser=postgres",
            "--warehouseSchema=reprocessed_batch"));
    Arrivals.assertSameLake("--reprocess=changed while a job runs vs 1 batch run", batch, out);
    // facts as the batch run's; dimension members only a retracted file named stay, as they do
    // after an incremental retraction (docs/incremental.md, "Known differences")
    assertEquals(
        sortedRows("SELECT * FROM reprocessed_batch.fact_video_trending"),
        sortedRows("SELECT * FROM reprocessed.fact_video_trending"));
    for (String t : List.of("dim_region", "dim_category", "dim_date")) {
      List<String> kept = sortedRows("SELECT * FROM reprocessed." + t);
      assertTrue(
          t + " holds every member of the batch run's",
          kept.containsAll(sortedRows("SELECT * FROM reprocessed_batch." + t)));
    }
    assertTrue(
        "CA's facts went with its file",
        sortedRows("SELECT * FROM reprocessed.fact_video_trending WHERE region_code = 'ca'")
            .isEmpty());
    java.util.TreeSet<String> droppedFiles = new java.util.TreeSet<>();
    for (JsonNode c : ContinuousJob.commits(out, "cont-reprocess")) {
      assertEquals(c.path("run_id").asText(), "succeeded", c.path("status").asText());
      assertEquals(0, c.path("problems").size());
      c.path("run").path("files_dropped").forEach(f -> droppedFiles.add(f.asText()));
    }
    assertEquals(
        "the commits' manifests name the files retracted",
        new java.util.TreeSet<>(List.of(IncrementalRunTest.LATE, IncrementalRunTest.US, ca)),
        droppedFiles);
    String usDay =
        String.join(
            "\n", LakeSnapshot.rowsOf(out, "gold/trending/region=us/trending_date=2017-11-14"));
    assertThat("the re-fetched row won", usDay, containsString("750000"));
    assertThat("the retracted copy is gone", usDay, not(containsString("748999")));
    assertThat("the late file's new version", usDay, containsString("2000"));
    assertTrue(
        "CA's partitions went with its file",
        LakeSnapshot.rowsOf(out, "gold/trending/region=ca/trending_date=2017-11-14").isEmpty());
  }

  private static String[] with(String[] common, String... more) {
    List<String> out = new ArrayList<>(List.of(common));
    out.addAll(List.of(more));
    return out.toArray(new String[0]);
  }

  private static void awaitGone(ContinuousJob job, Path out, String file) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(240);
    while (ContinuousJob.committed(out).containsKey(file)) {
      assertTrue("the job is still running", job.isRunning());
      assertTrue(file + " still in the lake's state", System.nanoTime() < deadline);
      Thread.sleep(200);
    }
  }

  /**
   * A commit whose warehouse load fails ends the run with a failure status, a message saying what
   * the lake holds and how to go on, and the lock released.
   */
  @Test
  public void aFailedLoadEndsTheRunSayingWhatTheLakeHolds() throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("continuous").toPath();
    a.arrive(WAVES.get(0));
    CliRun r =
        CliRun.of(
            "run",
            "--continuous",
            "--input=" + a.bronze,
            "--output=" + out,
            "--runId=cont-fail",
            "--watchInterval=PT1S",
            "--commitDelay=PT1S",
            "--stopWhenIdle=PT3S",
            "--warehouse=jdbc:postgresql://127.0.0.1:1/nowhere",
            "--warehouseUser=postgres");
    assertEquals(r.all(), 1, r.status());
    assertThat(r.err(), containsString("trendlake: the continuous run failed: "));
    assertThat(r.err(), containsString("Its commits before the failure stay in " + out));
    assertThat(r.err(), not(containsString("Nothing was committed")));
    assertTrue("the lock is released", !Files.exists(out.resolve("_lock.json")));
  }

  @Test
  public void badContinuousOptionsAreNamedWithTheirForm() {
    CliRun r =
        CliRun.of(
            "run",
            "--input=" + TestRuns.bronze(),
            "--output=" + tmp.getRoot().toPath().resolve("lake"),
            "--continuous",
            "--watchInterval=10s",
            "--mode=full",
            "--qualityRules=rules.yaml");
    assertEquals(r.all(), 2, r.status());
    assertThat(r.err(), containsString("--watchInterval takes an ISO-8601 duration"));
    assertThat(r.err(), containsString("got '10s'"));
    assertThat(r.err(), containsString("--mode=full recomputes the lake once"));
    assertThat(r.err(), containsString("--qualityRules is not applied by a continuous run yet"));
    CliRun alone =
        CliRun.of(
            "run",
            "--input=" + TestRuns.bronze(),
            "--output=" + tmp.getRoot().toPath().resolve("lake"),
            "--commitDelay=PT5S");
    assertThat(alone.err(), containsString("--commitDelay works only with --continuous"));
  }

  /**
   * Every star-schema table holds the same rows in both schemas (the run log aside), but for the
   * attributes of a video or channel that two regions list on its latest trending day with
   * different values: one batch load keeps the first region's, a later load of the other region's
   * partition overwrites them (the warehouse's merge rule, shared with incremental runs;
   * docs/continuous.md). For those two tables the keys and the latest trending day are compared.
   */
  static void assertSameWarehouse(String actual, String expected) throws Exception {
    for (String t : List.of("dim_region", "dim_category", "dim_date", "fact_video_trending")) {
      assertEquals(
          "warehouse table " + t,
          sortedRows("SELECT * FROM " + expected + "." + t),
          sortedRows("SELECT * FROM " + actual + "." + t));
    }
    for (String keys :
        List.of(
            "video_id, channel_key, last_date_key FROM %s.dim_video",
            "channel_key, last_date_key FROM %s.dim_channel")) {
      assertEquals(
          "warehouse " + keys,
          sortedRows("SELECT " + String.format(keys, expected)),
          sortedRows("SELECT " + String.format(keys, actual)));
    }
    assertTrue(db.count("SELECT COUNT(*) FROM " + actual + ".fact_video_trending") > 0);
  }

  private static List<String> sortedRows(String query) throws Exception {
    List<String> rows = new ArrayList<>();
    db.rows(query).forEach(r -> rows.add(String.join("|", r)));
    rows.sort(null);
    return rows;
  }
}
