package dev.trendlake.generate;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.runners.cli.RunCommand;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Runs the whole pipeline over a small generated bronze tree and checks that the run manifest
 * accounts for every record exactly as the generator's {@code _expected.json} says, per reason and
 * per region; and that the generator is deterministic.
 */
public class GeneratedInputTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  public void manifestMatchesExpected() throws Exception {
    File bronze = tmp.newFolder("bronze");
    File lake = tmp.newFolder("lake");
    ByteArrayOutputStream genOut = new ByteArrayOutputStream();
    int g =
        GenerateCommand.run(
            new String[] {
              "--rows=3000", "--output=" + bronze, "--regions=us,ca", "--seed=7", "--overwrite"
            },
            new PrintStream(genOut, true, StandardCharsets.UTF_8),
            System.err);
    assertEquals(genOut.toString(StandardCharsets.UTF_8), 0, g);
    JsonNode exp = MAPPER.readTree(new File(bronze, "_expected.json"));
    // every kind of bad record is present, so the comparison below exercises each path
    for (String reason :
        List.of(
            "malformed_csv",
            "invalid_video_id",
            "invalid_trending_date",
            "invalid_publish_time",
            "invalid_category_id",
            "invalid_count",
            "invalid_boolean")) {
      assertTrue(
          reason + " missing from " + exp,
          exp.path("quarantined_by_reason").path(reason).asLong() > 0);
    }
    assertTrue(exp.path("duplicates").asLong() > 0);
    assertTrue(exp.path("encoding_repairs").asLong() > 0);
    assertTrue(exp.path("unknown_category").asLong() > 0);
    assertEquals(3000, exp.path("records").asLong());

    ByteArrayOutputStream runOut = new ByteArrayOutputStream();
    int r =
        RunCommand.run(
            new String[] {
              "--input=" + bronze,
              "--output=" + lake,
              "--runId=gen-test",
              "--runner=DirectRunner",
              "--warehouse=none"
            },
            new PrintStream(runOut, true, StandardCharsets.UTF_8),
            System.err);
    assertEquals(runOut.toString(StandardCharsets.UTF_8), 0, r);
    JsonNode m = MAPPER.readTree(new File(lake, "_manifests/gen-test.json"));
    JsonNode t = m.path("totals");
    for (String f :
        List.of(
            "records",
            "silver",
            "gold",
            "quarantined",
            "duplicates",
            "encoding_repairs",
            "unknown_category")) {
      assertEquals(f, exp.path(f).asLong(), t.path(f).asLong());
    }
    assertEquals(exp.path("quarantined_by_reason"), t.path("quarantined_by_reason"));
    // the default quality rules pass on the generator's data
    assertEquals(m.path("quality").toString(), 0, m.path("quality").path("failed").asInt());
    assertEquals(1.0, m.path("quality").path("pass_rate").asDouble(), 0);

    // per region: silver, gold, unknown categories and categories from the manifest's regions;
    // records, quarantined and duplicates summed over the manifest's files
    Map<String, long[]> byFile = new TreeMap<>();
    for (JsonNode f : m.path("files")) {
      if (!"statistics".equals(f.path("kind").asText())) {
        continue;
      }
      long q = 0;
      for (JsonNode v : f.path("quarantined")) {
        q += v.asLong();
      }
      long[] a = byFile.computeIfAbsent(f.path("region").asText(), k -> new long[3]);
      a[0] += f.path("records").asLong();
      a[1] += q;
      a[2] += f.path("duplicates").asLong();
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = exp.path("regions").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode mr = m.path("regions").path(e.getKey());
      for (String f : List.of("silver", "gold", "unknown_category", "categories")) {
        assertEquals(e.getKey() + " " + f, e.getValue().path(f).asLong(), mr.path(f).asLong());
      }
      long[] a = byFile.get(e.getKey());
      assertEquals(e.getKey() + " records", e.getValue().path("records").asLong(), a[0]);
      assertEquals(e.getKey() + " quarantined", e.getValue().path("quarantined").asLong(), a[1]);
      assertEquals(e.getKey() + " duplicates", e.getValue().path("duplicates").asLong(), a[2]);
    }
  }

  @Test
  public void sameSeedSameBytes() throws Exception {
    File a = tmp.newFolder("a");
    File b = tmp.newFolder("b");
    String[] common = {"--rows=1200", "--regions=gb,jp,ru", "--seed=3", "--fileMegabytes=1"};
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(
        0, GenerateCommand.run(concat(common, "--output=" + a, "--overwrite"), quiet, System.err));
    assertEquals(
        0, GenerateCommand.run(concat(common, "--output=" + b, "--overwrite"), quiet, System.err));
    List<Path> filesA = list(a.toPath());
    assertEquals(relative(a.toPath(), filesA), relative(b.toPath(), list(b.toPath())));
    assertTrue(filesA.size() >= 3 * 2 + 3 + 1);
    for (Path p : filesA) {
      assertArrayEquals(
          p.toString(),
          Files.readAllBytes(p),
          Files.readAllBytes(b.toPath().resolve(a.toPath().relativize(p))));
    }
    File c = tmp.newFolder("c");
    assertEquals(
        0,
        GenerateCommand.run(
            new String[] {"--rows=1200", "--regions=gb,jp,ru", "--seed=4", "--output=" + c},
            quiet,
            System.err));
    assertTrue(
        "another seed, other bytes",
        !java.util.Arrays.equals(
                Files.readAllBytes(a.toPath().resolve("_expected.json")),
                Files.readAllBytes(c.toPath().resolve("_expected.json")))
            || !relative(a.toPath(), filesA).equals(relative(c.toPath(), list(c.toPath()))));
  }

  @Test
  public void refusesToOverwriteWithoutBeingAsked() throws Exception {
    File a = tmp.newFolder("x");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(
        0,
        GenerateCommand.run(
            new String[] {"--rows=100", "--regions=us", "--output=" + a}, quiet, quiet));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(
        2,
        GenerateCommand.run(
            new String[] {"--rows=100", "--regions=us", "--output=" + a},
            quiet,
            new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertTrue(
        err.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8).contains("--overwrite"));
    assertEquals(2, GenerateCommand.run(new String[] {"--output=" + a}, quiet, quiet));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static List<Path> list(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static List<String> relative(Path root, List<Path> files) {
    return files.stream().map(p -> root.relativize(p).toString()).toList();
  }
}
