package dev.trendlake.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Nothing lost, under any input: batches of seeded, mutated bronze ({@link MutatedBronze}) run
 * through the launcher, each accounted for record by record by {@link Accounting}, which shares no
 * code with the pipeline. The first batch also holds the odd file-system entries and runs as a
 * child JVM without root's file-access capabilities, so unreadable entries are unreadable.
 *
 * <p>{@code mvn verify} runs the bounded form (two batches). The full form, whose figures the
 * README's reliability section quotes: {@code mvn -B -pl bench -am test -Dtest='Reliability*'
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtrendlake.reliability=full
 * -Dtrendlake.updateReadme=true}.
 */
public class ReliabilitySuiteTest {
  static final boolean FULL = "full".equals(System.getProperty("trendlake.reliability"));
  static final long SEED = Long.getLong("trendlake.reliability.seed", 19);
  static final int BATCHES = FULL ? 30 : 2;
  static final int FILES_PER_BATCH = FULL ? 40 : 24;

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  static MutatedBronze generator;
  static final Map<String, Long> FIGURES = new TreeMap<>();
  static final List<String> PROBLEMS = new ArrayList<>();

  @BeforeClass
  public static void generateBase() throws IOException {
    generator = new MutatedBronze(TMP.newFolder("base").toPath(), SEED);
  }

  static void add(String figure, long n) {
    synchronized (FIGURES) {
      FIGURES.merge(figure, n, Long::sum);
    }
  }

  @Test
  public void everyRecordOfMutatedBronzeIsInSilverQuarantineOrCountedAsADuplicate()
      throws Exception {
    // mutated bronze is mostly broken on purpose: the default quality gate would reject every
    // batch; the suite checks the accounting of what is committed, so no rule may fail the run
    Path noRules = TMP.newFile("no-rules.yaml").toPath();
    Files.writeString(noRules, "rules: []\n");
    for (int b = 0; b < BATCHES; b++) {
      Path bronze = TMP.newFolder("bronze-" + b).toPath();
      Path lake = TMP.newFolder("lake-" + b).toPath();
      boolean child = b == 0;
      generator.batch(bronze, SEED * 1000 + b, FILES_PER_BATCH, child);
      String[] args = {
        "run",
        "--input=" + bronze,
        "--output=" + lake,
        "--runner=DirectRunner",
        "--warehouse=none",
        "--qualityRules=" + noRules,
        "--runId=batch-" + b
      };
      Launch.Result r =
          child
              ? Launch.child(TMP.newFile("batch-" + b + ".log").toPath(), 10, args)
              : Launch.inProcess(args);
      add("batches", 1);
      add("runs", 1);
      add("crashes", 0);
      if (r.status() != 0) {
        add("crashes", 1);
        PROBLEMS.add("batch " + b + " exited " + r.status() + ":\n" + tail(r.out()));
        MutatedBronze.restorePermissions(bronze);
        continue;
      }
      Accounting.Report report = Accounting.check(bronze, lake);
      add("statistics files read", report.files);
      add("records", report.records);
      add("records to silver", report.silver);
      add("records quarantined", report.quarantined);
      add("records counted as duplicates", report.duplicates);
      add("entries skipped with a reason", report.skipped);
      add("records or entries unaccounted", report.unaccounted);
      for (String p : report.problems) {
        PROBLEMS.add("batch " + b + ": " + p);
      }
      if (child) {
        assertOddEntries(lake, r.out());
      }
      MutatedBronze.restorePermissions(bronze);
    }
    assertEquals("problems:\n" + String.join("\n", PROBLEMS), List.of(), PROBLEMS);
    assertEquals(0L, (long) FIGURES.getOrDefault("records or entries unaccounted", 0L));
  }

  /**
   * The entries that vanished without a word before (issue 19, findings 1, 2, 4, 5): each is read,
   * or listed with its reason in the manifest and the summary.
   */
  static void assertOddEntries(Path lake, String summary) throws IOException {
    String odd = "raw_statistics/region=us/odd/";
    Map<String, String> expected = new TreeMap<>();
    expected.put(odd + "caf\uFFFD.csv", "a file name that is not valid UTF-8: not read; rename");
    expected.put(odd + "pipe.csv", "not a regular file (a named pipe): not read");
    expected.put(odd + "dangling.csv", "a link to nothing (");
    expected.put(odd + "loop", "a link to the folder raw_statistics/region=us/odd, which is read");
    expected.put(odd + "loop2", "a link to the folder raw_statistics, which is read under its own");
    expected.put(odd + "same.csv", "a link to the file raw_statistics/region=us/odd/good.csv");
    expected.put(
        odd + "out", "a link to " + generator.base().toRealPath() + ", outside the bronze");
    expected.put(odd + "notes.txt", "not a .csv file: not read");
    expected.put(odd + "unreadable.csv", "a file this user can't read (permission denied)");
    expected.put(odd + "locked", "a folder this user can't read (permission denied)");
    Map<String, String> skipped = new TreeMap<>();
    Accounting.JSON
        .readTree(lake.resolve("_manifests/latest.json").toFile())
        .path("skipped")
        .forEach(s -> skipped.put(s.path("path").asText(), s.path("reason").asText()));
    expected.forEach(
        (path, reason) -> {
          String got = skipped.get(path);
          assertTrue(
              path + " skipped with '" + reason + "...', got " + got,
              got != null && got.startsWith(reason));
          assertTrue(path + " in the summary:\n" + summary, summary.contains(": " + got));
        });
    String files =
        Accounting.JSON
            .readTree(lake.resolve("_manifests/latest.json").toFile())
            .path("files")
            .toString();
    assertTrue(files, files.contains("\"" + odd + "good.csv\""));
    assertTrue(files, files.contains("\"" + odd + "archive/region=gb/linked.csv\""));
  }

  static String tail(String s) {
    return s.length() > 3000 ? "..." + s.substring(s.length() - 3000) : s;
  }

  @AfterClass
  public static void report() throws IOException {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%s form, seed %d, %s: %d batches of %d statistics files each plus category files,"
                + " the first with the odd file-system entries and run as a child JVM without"
                + " root's file-access capabilities.%n%n",
            FULL ? "Full" : "Bounded",
            SEED,
            java.time.LocalDate.now(java.time.ZoneOffset.UTC),
            BATCHES,
            FILES_PER_BATCH));
    b.append("| figure | count |\n|---|---:|\n");
    FIGURES.forEach((k, v) -> b.append(String.format(Locale.ROOT, "| %s | %,d |%n", k, v)));
    b.append("\nCases (files each): ");
    List<String> cases = new ArrayList<>();
    generator.cases.forEach((k, v) -> cases.add(k + " " + v));
    b.append(String.join(", ", cases)).append(".\n");
    Reports.write("mutated bronze", b.toString());
  }

  /** Where the suite's figures go: target/, and the README when asked. */
  static final class Reports {
    private Reports() {}

    static synchronized void write(String section, String markdown) throws IOException {
      Path target = Paths.get("target", "reliability-" + section.replace(' ', '-') + ".md");
      Files.createDirectories(target.getParent());
      Files.writeString(target, markdown, StandardCharsets.UTF_8);
      if (Boolean.getBoolean("trendlake.updateReadme")) {
        Path readme = Paths.get("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        String begin = "<!-- reliability: " + section + " -->\n";
        String end = "<!-- end: " + section + " -->";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
          throw new IOException("README.md has no block " + begin.strip() + " ... " + end);
        }
        Files.writeString(
            readme,
            text.substring(0, from + begin.length()) + markdown + text.substring(to),
            StandardCharsets.UTF_8);
      }
    }
  }
}
