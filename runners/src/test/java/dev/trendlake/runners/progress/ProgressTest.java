package dev.trendlake.runners.progress;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.runners.CliRun;
import dev.trendlake.testkit.TestWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Progress lines from Beam metrics while a job runs, on the DirectRunner and on the embedded Flink
 * cluster: a bronze tree of 24 files of testdata records repeated (about 90,000 records), JSON
 * lines every second, counts that never go back, a line with rows read before reading ended, and a
 * final line at 100%.
 */
public class ProgressTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path bronze;

  /** Copies of a testdata file, with its records repeated, in each statistics folder. */
  static final int COPIES = 12;

  static final int REPEATS = 800;

  static synchronized Path bronze() throws IOException {
    if (bronze != null) {
      return bronze;
    }
    Path root = TMP.newFolder("bronze").toPath();
    Path src = TestWarehouse.bronze();
    try (Stream<Path> s = Files.walk(src.resolve("raw_statistics_reference_data"))) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        Path to = root.resolve(src.relativize(f));
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
    for (String name :
        List.of(
            "region=us/ts=201711140000/USvideos.csv", "region=CA/ts=201711140000/CAvideos.csv")) {
      // bytes, not text: the fixtures hold invalid UTF-8 on purpose
      byte[] file = Files.readAllBytes(src.resolve("raw_statistics").resolve(name));
      int eol = 0;
      while (file[eol] != '\n') {
        eol++;
      }
      ByteArrayOutputStream big = new ByteArrayOutputStream();
      big.write(file, 0, eol + 1);
      for (int r = 0; r < REPEATS; r++) {
        big.write(file, eol + 1, file.length - eol - 1);
        if (file[file.length - 1] != '\n') {
          big.write('\n');
        }
      }
      for (int i = 0; i < COPIES; i++) {
        Path to = root.resolve("raw_statistics").resolve(name).resolveSibling("copy" + i + ".csv");
        Files.createDirectories(to.getParent());
        Files.write(to, big.toByteArray());
      }
    }
    bronze = root;
    return bronze;
  }

  static List<JsonNode> progress(String... runnerArgs) throws IOException {
    List<String> args = new ArrayList<>();
    args.add("--input=" + bronze());
    args.add("--output=" + TMP.newFolder().toPath());
    args.add("--warehouse=none");
    args.add("--logFormat=json");
    args.add("--progressInterval=1");
    args.addAll(List.of(runnerArgs));
    CliRun r = CliRun.run(args.toArray(new String[0]));
    String errText = r.err();
    assertEquals(errText, 0, r.status());
    List<JsonNode> lines = new ArrayList<>();
    for (String l : errText.split("\n")) {
      if (l.startsWith("{\"event\":\"progress")) {
        lines.add(new ObjectMapper().readTree(l));
      }
    }
    return lines;
  }

  static void assertProgress(List<JsonNode> all, boolean movedBeforeTheEnd) {
    List<JsonNode> lines =
        all.stream().filter(n -> n.path("event").asText().equals("progress")).toList();
    assertThat("progress lines: " + all, lines.size(), greaterThan(2));
    long files = -1;
    long bytes = -1;
    long rows = -1;
    long midway = 0;
    for (JsonNode n : lines) {
      assertThat(n.toString(), n.path("files").asLong(), greaterThanOrEqualTo(files));
      assertThat(n.toString(), n.path("bytes").asLong(), greaterThanOrEqualTo(bytes));
      assertThat(n.toString(), n.path("rows").asLong(), greaterThanOrEqualTo(rows));
      if (!n.path("final").asBoolean()
          && (n.path("rows").asLong() > 0 || n.path("partitions").asLong() > 0)) {
        midway++;
      }
      files = n.path("files").asLong();
      bytes = n.path("bytes").asLong();
      rows = n.path("rows").asLong();
      assertEquals(2 * COPIES, n.path("files_total").asLong());
    }
    if (movedBeforeTheEnd) {
      assertThat("a counter that moved before the end: " + lines, midway, greaterThan(0L));
    }
    JsonNode last = lines.get(lines.size() - 1);
    assertTrue(last.toString(), last.path("final").asBoolean());
    assertEquals(last.toString(), 100.0, last.path("percent").asDouble(), 0);
    assertEquals(last.path("bytes_total").asLong(), last.path("bytes").asLong());
    assertEquals(2 * COPIES, last.path("files").asLong());
    assertThat(last.path("partitions").asLong(), greaterThan(0L));
  }

  @Test
  public void directRunnerReportsProgressWhileItRuns() throws IOException {
    assertProgress(progress("--runner=DirectRunner"), true);
  }

  @Test
  public void embeddedFlinkReportsProgressAndItsWebUi() throws IOException {
    List<JsonNode> lines = progress("--runner=FlinkRunner", "--parallelism=2");
    assertThat(
        lines.get(0).path("message").asText(), containsString("Flink web UI: http://localhost:"));
    // On Flink a step's counters arrive when one of its bundles ends, which on this shared 2-core
    // machine may be only when the step ends; that the REST ids are read is FlinkRestMetricsTest's
    assertProgress(lines, false);
  }
}
