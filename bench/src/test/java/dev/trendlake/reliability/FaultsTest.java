package dev.trendlake.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trendlake.generate.BronzeGenerator;
import dev.trendlake.pipeline.commit.ManifestStore;
import dev.trendlake.testkit.LakeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Nothing lost, under any fault: a run killed with -9 while it reads, writes or commits, then run
 * again, equals a clean run, and while it lay dead no reader saw a half partition or a broken
 * latest.json; a full disk fails the run with a clear message and frees what it took; a read-only
 * output and bad options are refused before any work, in words that name the option; two runs on
 * one output do not destroy each other. The bounded form ({@code mvn verify}) kills during the
 * write; the full form ({@code -Dtrendlake.reliability=full}) during each phase.
 */
public class FaultsTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  static Path bronze;
  static Path reference;
  static final Map<String, String> OUTCOMES = new TreeMap<>();

  /**
   * A realistic bronze: about 100 partitions in the bounded form, 600 in the full one (so that a
   * commit takes long enough to be hit).
   */
  @BeforeClass
  public static void referenceRun() throws IOException {
    bronze = TMP.newFolder("bronze").toPath();
    BronzeGenerator.generate(
        new BronzeGenerator.Settings(
            ReliabilitySuiteTest.FULL ? 12_000 : 2_000,
            bronze.toString(),
            ReliabilitySuiteTest.FULL ? List.of("us", "gb", "jp") : List.of("us", "gb"),
            23,
            64 * 1024));
    reference = TMP.newFolder("reference").toPath();
    Launch.Result r = run(reference, "reference");
    assertEquals(r.out(), 0, r.status());
  }

  static Launch.Result run(Path lake, String runId) {
    return Launch.inProcess(args(lake, runId));
  }

  static String[] args(Path lake, String runId) {
    return new String[] {
      "run",
      "--input=" + bronze,
      "--output=" + lake,
      "--runner=DirectRunner",
      "--warehouse=none",
      "--runId=" + runId
    };
  }

  static String[] full(String[] args) {
    String[] out = java.util.Arrays.copyOf(args, args.length + 1);
    out[args.length] = "--mode=full";
    return out;
  }

  /** Every row and count of {@code lake} that a re-run must reproduce exactly. */
  static List<String> content(Path lake) throws IOException {
    List<String> out = new ArrayList<>();
    out.addAll(LakeReader.parquetRows(lake.resolve("gold")));
    out.addAll(LakeReader.parquetRows(lake.resolve("silver")));
    out.addAll(LakeReader.jsonLines(lake.resolve("quarantine")));
    JsonNode m = Accounting.JSON.readTree(lake.resolve("_manifests/latest.json").toFile());
    out.add(m.path("totals").toString());
    out.add(m.path("regions").toString());
    return out;
  }

  @Test
  public void killedWhileWritingThenRunAgainEqualsACleanRun() throws Exception {
    killAndRerun("write");
  }

  @Test
  public void killedWhileReadingOrCommittingThenRunAgainEqualsACleanRun() throws Exception {
    Assume.assumeTrue("full form only", ReliabilitySuiteTest.FULL);
    killAndRerun("read");
    killAndRerun("commit");
  }

  private void killAndRerun(String phase) throws Exception {
    // the state a kill must leave untouched: a complete earlier run (a copy of the reference)
    Path lake = TMP.newFolder("kill-" + phase).toPath();
    copy(reference, lake);
    String id = "killed-" + phase;
    Path staging = lake.resolve("_staging/" + id);
    Path manifest = lake.resolve("_manifests/" + id + ".json");
    Predicate<Path> trigger =
        switch (phase) {
          // the lock is taken just before the pipeline starts; the read follows within seconds
          case "read" -> l -> alive(staging, 2000);
          case "write" -> l -> dataFiles(staging) > 0;
          default -> l -> contains(manifest, "\"committing\"");
        };
    // full runs: over the reference's own bronze an incremental run would find nothing to do
    Process p = Launch.start(TMP.newFile(id + ".log").toPath(), full(args(lake, id)));
    long deadline = System.currentTimeMillis() + 10 * 60_000;
    while (p.isAlive() && !trigger.test(lake) && System.currentTimeMillis() < deadline) {
      Thread.sleep(phase.equals("commit") ? 1 : 20);
    }
    assertTrue("the run ended before it reached the " + phase, p.isAlive());
    Launch.kill9(p);
    String hit =
        contains(manifest, "\"succeeded\"")
            ? "after the commit"
            : contains(manifest, "\"committing\"")
                ? "commit"
                : dataFiles(staging) > 0 ? "write" : "read";
    OUTCOMES.put("kill -9 aimed at " + phase, "hit during " + hit);

    // while it lies dead: latest.json is whole, the committed state readable, every file whole
    Path latest = lake.resolve("_manifests/latest.json");
    JsonNode l = Accounting.JSON.readTree(latest.toFile());
    assertEquals("succeeded", l.path("status").asText());
    ManifestStore.Committed state = ManifestStore.lastCommitted(lake.toString()).orElseThrow();
    if (!hit.equals("after the commit")) {
      assertEquals("reference", state.runId());
    }
    for (Path f : LakeReader.files(lake.resolve("gold"), ".parquet")) {
      LakeReader.read(f); // a half-written file would not read
    }
    for (Path f : LakeReader.files(lake.resolve("silver"), ".parquet")) {
      LakeReader.read(f);
    }
    for (Path f : LakeReader.files(lake.resolve("quarantine"), ".jsonl")) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        Accounting.JSON.readTree(line);
      }
    }

    // the dead run's lock stays: the next run names it and takes it only when told to
    String[] rerun = full(args(lake, "after-" + phase));
    Launch.Result refused = Launch.inProcess(rerun);
    assertEquals(refused.out(), 2, refused.status());
    assertTrue(refused.out(), refused.out().contains("left by run " + id));
    rerun = java.util.Arrays.copyOf(rerun, rerun.length + 1);
    rerun[rerun.length - 1] = "--breakLock";
    Launch.Result again = Launch.inProcess(rerun);
    assertEquals(again.out(), 0, again.status());
    assertFalse("the dead run's staging was swept", Files.exists(lake.resolve("_staging")));
    assertEquals(content(reference), content(lake));
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /** True once the run's lock has existed for {@code millis}. */
  static boolean alive(Path staging, long millis) {
    try {
      Path lock = staging.resolve(".run.lock");
      return Files.exists(lock)
          && System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis() >= millis;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean contains(Path f, String text) {
    try {
      return Files.exists(f) && Files.readString(f).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  static long dataFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".parquet") || p.toString().endsWith(".jsonl"))
          .count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  /** A file system of {@code size} mounted at a new folder, or the test is skipped (not root). */
  static Path mount(String name, String size) throws IOException, InterruptedException {
    Path dir = TMP.newFolder(name).toPath();
    Process p =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
            .redirectErrorStream(true)
            .start();
    boolean ok = p.waitFor() == 0;
    Assume.assumeTrue(
        "a small file system needs root to mount a tmpfs ("
            + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()
            + ")",
        ok);
    return dir;
  }

  static void shell(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(String.join(" ", cmd) + ": " + out, 0, p.waitFor());
  }

  /** A Java class name where a user should see words. */
  static final Pattern CLASS_NAME =
      Pattern.compile(
          "\\b(?:java|javax|org|com|dev)\\.[a-z0-9_.]+\\.[A-Z]\\w+|\\w+Exception\\b|\\tat ");

  static void assertPlainWords(String out) {
    assertFalse("a Java class name or stack trace:\n" + out, CLASS_NAME.matcher(out).find());
  }

  @Test
  public void aFullDiskFailsClearlyAndFreesItsStagingSoTheNextRunFits() throws Exception {
    Path disk = mount("full", "512k");
    try {
      Path lake = disk.resolve("lake");
      Launch.Result full = run(lake, "too-big");
      assertEquals(full.out(), 1, full.status());
      String err = full.out().substring(full.out().indexOf("trendlake: the run failed"));
      assertTrue(err, err.contains("No space left on device"));
      assertTrue(err, err.contains("Staging: removed"));
      assertPlainWords(err);
      assertFalse("staging freed", Files.exists(lake.resolve("_staging")));
      Launch.Result fits =
          Launch.inProcess(
              "run",
              "--input="
                  + java.nio.file.Paths.get(System.getProperty("trendlake.testdata", "../testdata"))
                      .resolve("bronze")
                      .toAbsolutePath(),
              "--output=" + lake,
              "--runner=DirectRunner",
              "--warehouse=none");
      assertEquals(fits.out(), 0, fits.status());
      OUTCOMES.put(
          "full disk (512 KiB tmpfs)", "failed in plain words, staging freed, next run fit");
    } finally {
      shell("umount", disk.toString());
    }
  }

  @Test
  public void aReadOnlyOutputIsRefusedBeforeAnyWork() throws Exception {
    Path ro = mount("readonly", "1m");
    try {
      shell("mount", "-o", "remount,ro", ro.toString());
      for (Path out : List.of(ro, ro.resolve("lake"))) {
        Launch.Result r = run(out, "ro");
        assertEquals(r.out(), 2, r.status());
        assertTrue(r.out(), r.out().contains("--output " + out + " can't be written"));
        assertTrue(r.out(), r.out().contains("name a folder this user may write to"));
        assertPlainWords(r.out());
      }
      OUTCOMES.put("read-only output", "refused at start, naming --output");
    } finally {
      shell("umount", ro.toString());
    }
  }

  /**
   * The second run on an output that a live run holds is refused at start, naming the lock ({@code
   * _lock.json}), and the first finishes with the right output.
   */
  @Test
  public void twoRunsOnOneOutput() throws Exception {
    Path lake = TMP.newFolder("two").toPath();
    Process a = Launch.start(TMP.newFile("run-a.log").toPath(), args(lake, "run-a"));
    Path stagingA = lake.resolve("_staging/run-a");
    while (a.isAlive() && dataFiles(stagingA) == 0) {
      Thread.sleep(20);
    }
    Launch.Result b = run(lake, "run-b");
    a.waitFor();
    String outA = Files.readString(TMP.getRoot().toPath().resolve("run-a.log"));
    assertEquals(b.out(), 2, b.status());
    assertTrue(b.out(), b.out().toLowerCase(Locale.ROOT).contains("lock"));
    assertEquals(outA, 0, a.exitValue());
    assertEquals(content(reference), content(lake));
    OUTCOMES.put("two runs on one output", "the second refused at start (the output's lock)");
  }

  @Test
  public void badOptionsAreRefusedInWordsThatNameTheOption() throws Exception {
    Path file = TMP.newFile("a-file").toPath();
    Map<String[], String> cases = new java.util.LinkedHashMap<>();
    cases.put(
        new String[] {"--output=" + file},
        "--output " + file + " is a file, not a folder: name a folder");
    cases.put(
        new String[] {"--maxFileMegabytes=abc"},
        "--maxFileMegabytes takes a whole number of megabytes greater than 0, got 'abc'");
    cases.put(new String[] {"--outptu=x"}, "unknown option --outptu (did you mean --output?)");
    cases.put(
        new String[] {"--runner=spark"},
        "--runner must be auto, DirectRunner or FlinkRunner, got 'spark'");
    cases.put(new String[] {"--parallelism=-2"}, "--parallelism takes a whole number");
    for (Map.Entry<String[], String> c : cases.entrySet()) {
      List<String> a = new ArrayList<>(List.of("run", "--input=" + bronze, "--warehouse=none"));
      a.addAll(List.of(c.getKey()));
      Launch.Result r = Launch.inProcess(a.toArray(new String[0]));
      assertEquals(r.out(), 2, r.status());
      assertTrue(r.out(), r.out().contains(c.getValue()));
      assertPlainWords(r.out());
    }
    // and the real main, in its own JVM (full form: a JVM start costs a while here)
    if (!ReliabilitySuiteTest.FULL) {
      OUTCOMES.put("bad options", cases.size() + " cases refused in words naming the option");
      return;
    }
    Launch.Result child =
        Launch.child(
            TMP.newFile("options.log").toPath(), 2, "run", "--input=" + bronze, "--outptu=x");
    assertEquals(child.out(), 2, child.status());
    assertTrue(child.out(), child.out().contains("unknown option --outptu"));
    assertPlainWords(child.out());
    OUTCOMES.put("bad options", cases.size() + " cases refused in words naming the option");
  }

  @AfterClass
  public static void report() throws IOException {
    StringBuilder b =
        new StringBuilder(
            (ReliabilitySuiteTest.FULL ? "Full" : "Bounded")
                + " form, "
                + java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                + ", on a generated bronze of "
                + (ReliabilitySuiteTest.FULL ? "12,000" : "2,000")
                + " records:\n\n| fault | outcome |\n|---|---|\n");
    OUTCOMES.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    ReliabilitySuiteTest.Reports.write("faults", b.toString());
  }
}
