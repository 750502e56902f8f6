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
 * {@code trendlake generate --dataset=tmdb}: a run of {@code --dataset=tmdb} over the generated
 * tree accounts for every record exactly as {@code _expected.json} says, per reason and per list,
 * the genre list included; the generator is deterministic; YouTube's options are refused.
 */
public class GeneratedTmdbInputTest {
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
              "--dataset=tmdb", "--rows=3000", "--days=5", "--output=" + bronze, "--seed=7"
            },
            new PrintStream(genOut, true, StandardCharsets.UTF_8),
            System.err);
    assertEquals(genOut.toString(StandardCharsets.UTF_8), 0, g);
    JsonNode exp = MAPPER.readTree(new File(bronze, "_expected.json"));
    assertEquals("tmdb", exp.path("dataset").asText());
    // every kind of bad record is present, so the comparison below exercises each path
    for (String reason :
        List.of(
            "invalid_show_id",
            "missing_name",
            "invalid_popularity",
            "invalid_vote_average",
            "invalid_vote_count",
            "invalid_first_air_date",
            "invalid_genre_ids",
            "invalid_origin_country",
            "malformed_json",
            "invalid_path")) {
      assertTrue(
          reason + " missing from " + exp,
          exp.path("quarantined_by_reason").path(reason).asLong() > 0);
    }
    assertTrue(exp.path("duplicates").asLong() > 0);
    assertTrue(exp.path("unknown_category").asLong() > 0);
    assertEquals(3000, exp.path("records").asLong());
    assertEquals(
        List.of("airing_today", "popular", "trending"), iterable(exp.path("regions").fieldNames()));

    ByteArrayOutputStream runOut = new ByteArrayOutputStream();
    int r =
        RunCommand.run(
            new String[] {
              "--dataset=tmdb",
              "--input=" + bronze,
              "--output=" + lake,
              "--runId=gen-tmdb",
              "--runner=DirectRunner"
            },
            new PrintStream(runOut, true, StandardCharsets.UTF_8),
            System.err);
    assertEquals(runOut.toString(StandardCharsets.UTF_8), 0, r);
    JsonNode m = MAPPER.readTree(new File(lake, "_manifests/gen-tmdb.json"));
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
    assertEquals(m.path("quality").toString(), 0, m.path("quality").path("failed").asInt());

    // per list: silver, gold and unknown genres from the manifest's groups; records, quarantined
    // and duplicates summed over its files; the genre list from its file
    Map<String, long[]> byFile = new TreeMap<>();
    long genreRows = 0;
    JsonNode genreRejects = null;
    for (JsonNode f : m.path("files")) {
      if ("tmdb_genres".equals(f.path("kind").asText())) {
        genreRows += f.path("silver").asLong();
        genreRejects = f.path("quarantined");
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
    assertEquals(exp.path("genres").path("silver").asLong(), genreRows);
    assertEquals(exp.path("genres").path("quarantined_by_reason"), genreRejects);
    assertEquals(byFile.keySet().toString(), 3, byFile.size());
    for (Iterator<Map.Entry<String, JsonNode>> it = exp.path("regions").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode mr = m.path("regions").path(e.getKey());
      for (String f : List.of("silver", "gold", "unknown_category")) {
        assertEquals(e.getKey() + " " + f, e.getValue().path(f).asLong(), mr.path(f).asLong());
      }
      long[] a = byFile.get(e.getKey());
      assertEquals(e.getKey() + " records", e.getValue().path("records").asLong(), a[0]);
      assertEquals(e.getKey() + " quarantined", e.getValue().path("quarantined").asLong(), a[1]);
      assertEquals(e.getKey() + " duplicates", e.getValue().path("duplicates").asLong(), a[2]);
    }
  }

  @Test
  public void sameSeedSameBytesAndYouTubeOptionsAreRefused() throws Exception {
    File a = tmp.newFolder("a");
    File b = tmp.newFolder("b");
    String[] common = {"--dataset=tmdb", "--rows=500", "--lists=trending,popular", "--seed=3"};
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(0, GenerateCommand.run(concat(common, "--output=" + a), quiet, System.err));
    assertEquals(0, GenerateCommand.run(concat(common, "--output=" + b), quiet, System.err));
    List<Path> filesA = list(a.toPath());
    assertEquals(relative(a.toPath(), filesA), relative(b.toPath(), list(b.toPath())));
    // two lists over seven days, the genre list, a misfiled page, _expected.json
    assertTrue(filesA.toString(), filesA.size() >= 2 * 7 + 3);
    for (Path p : filesA) {
      assertArrayEquals(
          p.toString(),
          Files.readAllBytes(p),
          Files.readAllBytes(b.toPath().resolve(a.toPath().relativize(p))));
    }

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errs = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(
        2,
        GenerateCommand.run(
            new String[] {
              "--dataset=tmdb", "--rows=500", "--regions=us", "--lists=weekly", "--output=" + a
            },
            quiet,
            errs));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text, text.contains("--regions is an option of --dataset=youtube"));
    assertTrue(text, text.contains("'weekly' is not a TMDB list"));
    assertEquals(2, GenerateCommand.run(concat(common, "--output=" + a), quiet, errs));
    assertTrue(
        err.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8)
            .contains("already holds raw_tmdb/: pass --overwrite to replace it"));
    assertEquals(
        0, GenerateCommand.run(concat(common, "--output=" + a, "--overwrite"), quiet, errs));
    assertEquals(
        2,
        GenerateCommand.run(
            new String[] {"--rows=500", "--days=3", "--output=" + tmp.newFolder("c")},
            quiet,
            errs));
    assertTrue(
        err.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8).contains("--days is an option of --dataset=tmdb"));
  }

  private static List<String> iterable(Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
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
