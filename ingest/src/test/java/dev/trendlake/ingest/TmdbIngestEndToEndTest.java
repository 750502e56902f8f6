package dev.trendlake.ingest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.ingest.ReplayServer.Reply;
import dev.trendlake.runners.cli.RunCommand;
import dev.trendlake.testkit.LakeReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * TMDB API -> bronze -> silver -> gold in one go: ingest the three lists from a replay of a real
 * {@code /trending/tv/day} page (twenty shows; a second page that repeats one show with more votes,
 * as a list shifts between page requests, and brings a new one), popular and airing_today pages
 * made of the same real shows, and the real TV genre list; run {@code --dataset=tmdb} on the bronze
 * written, and find every ingested show in gold, once per list, with the values TMDB gave.
 */
public class TmdbIngestEndToEndTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  static final ObjectMapper JSON = new ObjectMapper();

  /** The real shows as {@code /tv/popular} and {@code /tv/airing_today} list them. */
  static byte[] tvPage(List<JsonNode> shows) throws IOException {
    ObjectNode page = JSON.createObjectNode();
    page.put("page", 1);
    ArrayNode results = page.putArray("results");
    for (JsonNode s : shows) {
      ObjectNode copy = s.deepCopy();
      copy.remove("media_type");
      results.add(copy);
    }
    page.put("total_pages", 1);
    page.put("total_results", shows.size());
    return JSON.writeValueAsBytes(page);
  }

  @Test
  public void everyIngestedShowLandsInGoldOncePerList() throws Exception {
    byte[] trending1 = TmdbIngestTest.fixture("real/trending-tv-day.json");
    List<JsonNode> real = new ArrayList<>();
    JSON.readTree(trending1).path("results").forEach(real::add);
    assertEquals(20, real.size());

    ObjectNode again = real.get(1).deepCopy();
    again.put("vote_count", again.path("vote_count").asLong() + 25);
    ObjectNode fresh = real.get(0).deepCopy();
    fresh.put("id", 999001).put("name", "An e2e New Show");
    ObjectNode p2 = JSON.createObjectNode().put("page", 2);
    p2.putArray("results").add(again).add(fresh);
    p2.put("total_pages", 500).put("total_results", 10000);
    byte[] trending2 = JSON.writeValueAsBytes(p2);

    Map<String, List<JsonNode>> expected = new LinkedHashMap<>();
    List<JsonNode> trending = new ArrayList<>(real);
    trending.set(1, again);
    trending.add(fresh);
    expected.put("trending", trending);
    expected.put("popular", real.subList(5, 15));
    expected.put("airing_today", real.subList(15, 20));

    Path bronze = tmp.newFolder("bronze").toPath();
    Path lake = tmp.getRoot().toPath().resolve("lake");
    try (ReplayServer api = new ReplayServer()) {
      api.onTmdb("genre/tv/list", null, Reply.ok(TmdbIngestTest.fixture("genres.json")))
          .onTmdb("trending/tv/day", 1, Reply.ok(trending1))
          .onTmdb("trending/tv/day", 2, Reply.ok(trending2))
          .onTmdb("tv/popular", 1, Reply.ok(tvPage(expected.get("popular"))))
          .onTmdb("tv/airing_today", 1, Reply.ok(tvPage(expected.get("airing_today"))));
      IngestTest.Result r =
          IngestTest.ingest(
              IngestTest.T,
              Map.of(Source.TMDB.keyEnv(), TmdbIngestTest.KEY),
              "--source=tmdb",
              "--pages=2",
              "--output=" + bronze,
              "--apiBaseUrl=" + api.tmdbBaseUrl(),
              "--executionId=e2e-0001");
      assertEquals(r.all(), 0, r.exit());
      assertEquals(0, api.tmdbHits("trending/tv/day", 3)); // --pages=2 bounds a 500-page list
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        RunCommand.run(
            new String[] {
              "--dataset=tmdb",
              "--input=" + bronze,
              "--output=" + lake,
              "--runner=DirectRunner",
              "--runId=e2e-tmdb"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    System.err.println(printed);
    assertEquals(printed, 0, status);

    Map<Long, String> genres = new HashMap<>();
    JSON.readTree(TmdbIngestTest.fixture("genres.json"))
        .path("genres")
        .forEach(g -> genres.put(g.path("id").asLong(), g.path("name").asText()));
    for (Map.Entry<String, List<JsonNode>> list : expected.entrySet()) {
      Path partition =
          lake.resolve("gold/tmdb_shows/data_type=" + list.getKey() + "/dt=" + TmdbIngestTest.DT);
      Map<Long, JsonNode> gold = new HashMap<>();
      for (String line : LakeReader.parquetRows(partition)) {
        JsonNode g = JSON.readTree(line);
        assertNull(
            "show " + g.path("show_id") + " twice in " + list.getKey(),
            gold.put(g.path("show_id").asLong(), g));
      }
      TreeSet<Long> ids = new TreeSet<>();
      list.getValue().forEach(s -> ids.add(s.path("id").asLong()));
      assertEquals(list.getKey() + " gold show ids", ids, new TreeSet<>(gold.keySet()));
      for (JsonNode show : list.getValue()) {
        JsonNode g = gold.get(show.path("id").asLong());
        String what = list.getKey() + " " + show.path("id");
        assertEquals(what, show.path("name").asText(), g.path("title").asText());
        assertEquals(what, show.path("original_name").asText(), g.path("original_title").asText());
        assertEquals(what, show.path("popularity").asDouble(), g.path("popularity").asDouble(), 0);
        assertEquals(
            what, show.path("vote_average").asDouble(), g.path("vote_average").asDouble(), 0);
        assertEquals(what, show.path("vote_count").asLong(), g.path("vote_count").asLong());
        String firstAir = show.path("first_air_date").asText();
        assertEquals(
            what,
            firstAir.isEmpty() ? null : firstAir,
            g.path("first_air_date").isNull() ? null : g.path("first_air_date").asText());
        assertEquals(what, show.path("overview").asText(), g.path("overview").asText());
        assertEquals(what, show.path("origin_country"), g.path("origin_country"));
        assertEquals(what, TmdbIngestTest.DT, g.path("ingestion_date").asText());
        List<String> names = new ArrayList<>();
        List<Long> genreIds = new ArrayList<>();
        show.path("genre_ids")
            .forEach(
                id -> {
                  genreIds.add(id.asLong());
                  names.add(genres.get(id.asLong()));
                });
        List<Long> goldIds = new ArrayList<>();
        g.path("genre_ids").forEach(id -> goldIds.add(id.asLong()));
        assertEquals(what, genreIds, goldIds);
        List<String> goldNames = new ArrayList<>();
        g.path("genre_names").forEach(n -> goldNames.add(n.isNull() ? null : n.asText()));
        assertEquals(what, names, goldNames);
        assertFalse(what + ": every real genre is known", goldNames.contains(null));
      }
    }
    assertEquals(
        "the repeat with more votes won",
        real.get(1).path("vote_count").asLong() + 25,
        LakeReader.parquetRows(
                lake.resolve("gold/tmdb_shows/data_type=trending/dt=" + TmdbIngestTest.DT))
            .stream()
            .map(TmdbIngestEndToEndTest::tree)
            .filter(g -> g.path("show_id").asLong() == real.get(1).path("id").asLong())
            .findFirst()
            .orElseThrow()
            .path("vote_count")
            .asLong());
    JsonNode totals =
        JSON.readTree(lake.resolve("_manifests/e2e-tmdb.json").toFile()).path("totals");
    assertEquals(totals.toString(), 20 + 2 + 10 + 5, totals.path("records").asLong());
    assertEquals(totals.toString(), 20 + 1 + 10 + 5, totals.path("gold").asLong());
    assertEquals(totals.toString(), 1, totals.path("duplicates").asLong());
    assertEquals(totals.toString(), 0, totals.path("quarantined").asLong());
    assertTrue(
        "nothing quarantined",
        !Files.exists(lake.resolve("quarantine"))
            || LakeReader.jsonLines(lake.resolve("quarantine")).isEmpty());
  }

  private static JsonNode tree(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
