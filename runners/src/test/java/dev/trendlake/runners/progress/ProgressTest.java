package dev.trendlake.runners.progress;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.runners.cli.RunCommand;
import dev.trendlake.testkit.TestWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * cluster: a bronze tree of 120 copies of the testdata files, JSON lines every second, counts that
 * never go back, more than one distinct value before the end, and a final line at 100%.
 */
public class ProgressTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path bronze;

  static synchronized Path bronze() throws IOException {
    if (bronze == null) {
      bronze = TMP.newFolder("bronze").toPath();
      Path src = TestWarehouse.bronze();
      try (Stream<Path> s = Files.walk(src)) {
        for (Path f : s.filter(Files::isRegularFile).toList()) {
          Path rel = src.relativize(f);
          boolean stats = rel.startsWith("raw_statistics") && f.toString().endsWith(".csv");
          for (int i = 0; i < (stats ? 120 : 1); i++) {
            Path to =
                bronze.resolve(
                    stats ? rel.getParent().resolve("copy" + i + "-" + f.getFileName()) : rel);
            Files.createDirectories(to.getParent());
            Files.copy(f, to);
          }
        }
      }
    }
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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        RunCommand.run(
            args.toArray(new String[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String errText = err.toString(StandardCharsets.UTF_8);
    assertEquals(errText, 0, status);
    List<JsonNode> lines = new ArrayList<>();
    for (String l : errText.split("\n")) {
      if (l.startsWith("{\"event\":\"progress")) {
        lines.add(new ObjectMapper().readTree(l));
      }
    }
    return lines;
  }

  static void assertProgress(List<JsonNode> all) {
    List<JsonNode> lines =
        all.stream().filter(n -> n.path("event").asText().equals("progress")).toList();
    assertThat("progress lines: " + all, lines.size(), greaterThan(2));
    long files = -1;
    long bytes = -1;
    long rows = -1;
    long distinct = 0;
    for (JsonNode n : lines) {
      assertThat(n.toString(), n.path("files").asLong(), greaterThanOrEqualTo(files));
      assertThat(n.toString(), n.path("bytes").asLong(), greaterThanOrEqualTo(bytes));
      assertThat(n.toString(), n.path("rows").asLong(), greaterThanOrEqualTo(rows));
      if (n.path("bytes").asLong() > bytes) {
        distinct++;
      }
      files = n.path("files").asLong();
      bytes = n.path("bytes").asLong();
      rows = n.path("rows").asLong();
      assertEquals(840, n.path("files_total").asLong());
    }
    assertThat("the counts moved while the job ran: " + lines, distinct, greaterThan(1L));
    JsonNode last = lines.get(lines.size() - 1);
    assertTrue(last.toString(), last.path("final").asBoolean());
    assertEquals(last.toString(), 100.0, last.path("percent").asDouble(), 0);
    assertEquals(last.path("bytes_total").asLong(), last.path("bytes").asLong());
    assertEquals(840, last.path("files").asLong());
    assertThat(last.path("partitions").asLong(), greaterThan(0L));
  }

  @Test
  public void directRunnerReportsProgressWhileItRuns() throws IOException {
    assertProgress(progress("--runner=DirectRunner"));
  }

  @Test
  public void embeddedFlinkReportsProgressAndItsWebUi() throws IOException {
    List<JsonNode> lines = progress("--runner=FlinkRunner", "--parallelism=2");
    assertThat(
        lines.get(0).path("message").asText(), containsString("Flink web UI: http://localhost:"));
    assertProgress(lines);
  }
}
