package dev.trendlake.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Runs the benchmark end to end on a tiny generated input with the DirectRunner in a child JVM and
 * checks that it reports every field with a plausible value. No timing is asserted.
 */
public class BenchSmokeTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void runsAndReportsEveryField() throws Exception {
    File work = tmp.newFolder("work");
    File results = new File(work, "r.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        BenchCommand.run(
            new String[] {
              "--rows=800",
              "--regions=us,gb",
              "--runners=direct",
              "--work=" + work,
              "--results=" + results,
              "--javaOpts=-Xmx512m -XX:TieredStopAtLevel=1"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String shown = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertEquals(shown, 0, status);
    assertTrue(shown, shown.contains("x_floor"));

    JsonNode r = new ObjectMapper().readTree(results);
    assertTrue(r.path("machine").path("cpus").asInt() > 0);
    JsonNode floor = r.path("parse_floor").get(0);
    assertEquals(800, floor.path("rows").asLong());
    for (String f : List.of("bytes", "files", "rows_per_s")) {
      assertTrue(f + " in " + floor, floor.path(f).asLong() > 0);
    }
    assertEquals(1, r.path("runs").size());
    JsonNode run = r.path("runs").get(0);
    assertEquals("direct", run.path("runner").asText());
    assertEquals(0, run.path("exit_status").asInt());
    assertEquals(800, run.path("rows").asLong());
    assertEquals(800, run.path("manifest_records").asLong());
    for (String f :
        List.of(
            "bytes",
            "rows_per_s",
            "peak_rss_mib",
            "peak_heap_mib",
            "max_heap_mib",
            "silver_rows")) {
      assertTrue(f + " in " + run, run.path(f).asLong() > 0);
    }
    for (String f : List.of("wall_s", "mb_per_s", "cpu_s", "x_parse_floor")) {
      assertTrue(f + " in " + run, run.path(f).asDouble() > 0);
    }
    assertTrue(run.path("gc_s").asDouble() >= 0);
    assertTrue(run.has("load_before") && run.has("load_after"));
    assertTrue(run.path("gold_files").path("files").asLong() > 0);
    assertTrue(run.path("peak_heap_mib").asLong() <= run.path("max_heap_mib").asLong());
    // every stage measured inside the job, in order; start-up (JVM, graph, runner) is never free
    JsonNode stages = run.path("stage_s");
    List<String> names = new java.util.ArrayList<>();
    stages.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("start_up", "read", "grouping", "dedupe_write", "finish"), names);
    assertTrue(stages.toString(), stages.path("start_up").asDouble() > 0);
    stages.forEach(v -> assertTrue(stages.toString(), v.asDouble() >= 0));
    assertTrue(shown, shown.contains("stages of direct, 800 rows (s): start_up "));
  }

  @Test
  public void rejectsUnknownRunner() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(
        2,
        BenchCommand.run(
            new String[] {"--runners=spark"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("spark"));
  }
}
