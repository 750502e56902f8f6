package dev.trendlake.ingest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.ingest.ReplayServer.Reply;
import dev.trendlake.runners.cli.RunCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * API -> bronze -> silver -> gold in one go: ingest two regions from a replay of the real API
 * answers (a mostPopular page of 50 with a nextPageToken, then a page with hidden likes, hidden
 * comments and no tags), run the pipeline on the bronze root written, and find every ingested video
 * in gold with the values the API gave.
 */
public class IngestEndToEndTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Page 2: three real items under new ids, one without likeCount, one without commentCount, one
   * without tags.
   */
  static byte[] secondPage(JsonNode first) throws IOException {
    ObjectNode page = JSON.createObjectNode();
    page.put("kind", "youtube#videoListResponse");
    page.put("etag", "e2e-page-2");
    ArrayNode items = page.putArray("items");
    String[] ids = {"e2eHidLike1", "e2eHidComm1", "e2eNoTags01"};
    for (int i = 0; i < 3; i++) {
      ObjectNode it = first.path("items").get(i).deepCopy();
      it.put("id", ids[i]);
      items.add(it);
    }
    ((ObjectNode) items.get(0).path("statistics")).remove("likeCount");
    ((ObjectNode) items.get(1).path("statistics")).remove("commentCount");
    ((ObjectNode) items.get(2).path("snippet")).remove("tags");
    page.putObject("pageInfo").put("totalResults", 53).put("resultsPerPage", 50);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(page);
  }

  /**
   * The drop-files-into-a-folder workflow: a continuous job watches an empty bronze folder, {@code
   * trendlake ingest} writes into it while the job runs, and every ingested video reaches gold with
   * the values the API gave, without a batch run.
   */
  @Test
  public void ingestIntoTheFolderAContinuousJobWatchesReachesGold() throws Exception {
    byte[] p1 = IngestTest.fixture("real/videos.list-mostPopular-PL.json");
    byte[] p2 = secondPage(JSON.readTree(p1));
    byte[] categories = IngestTest.fixture("real/videoCategories.list.json");
    List<JsonNode> expected = new ArrayList<>();
    JSON.readTree(p1).path("items").forEach(expected::add);
    JSON.readTree(p2).path("items").forEach(expected::add);

    Path bronze = tmp.newFolder("bronze").toPath();
    Path lake = tmp.getRoot().toPath().resolve("lake");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    java.util.concurrent.CompletableFuture<Integer> job =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                RunCommand.run(
                    new String[] {
                      "--continuous",
                      "--watchInterval=PT1S",
                      "--commitDelay=PT1S",
                      "--stopWhenIdle=PT10S",
                      "--input=" + bronze,
                      "--output=" + lake,
                      "--runner=DirectRunner",
                      "--warehouse=none",
                      "--runId=e2e-continuous"
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(out, true, StandardCharsets.UTF_8)),
            r -> new Thread(r, "continuous-job").start());
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(lake.resolve("_lock.json"))) {
      assertFalse("the job started:\n" + out, job.isDone());
      assertTrue("the job started in time:\n" + out, System.nanoTime() < deadline);
      Thread.sleep(100);
    }
    ingestPlAndUs(bronze, p1, p2, categories);
    int status = job.get(240, java.util.concurrent.TimeUnit.SECONDS);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(printed, 0, status);
    assertTrue(printed, printed.contains("commit(s)"));
    assertEveryVideoInGold(lake, expected);
  }

  @Test
  public void everyIngestedVideoLandsInGold() throws Exception {
    byte[] p1 = IngestTest.fixture("real/videos.list-mostPopular-PL.json");
    byte[] p2 = secondPage(JSON.readTree(p1));
    byte[] categories = IngestTest.fixture("real/videoCategories.list.json");
    List<JsonNode> expected = new ArrayList<>();
    JSON.readTree(p1).path("items").forEach(expected::add);
    JSON.readTree(p2).path("items").forEach(expected::add);
    assertEquals(53, expected.size());

    Path bronze = tmp.newFolder("bronze").toPath();
    Path lake = tmp.getRoot().toPath().resolve("lake");
    ingestPlAndUs(bronze, p1, p2, categories);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        RunCommand.run(
            new String[] {
              "--input=" + bronze,
              "--output=" + lake,
              "--runner=DirectRunner",
              "--warehouse=none",
              "--runId=e2e-ingest"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    System.err.println(printed);
    assertEquals(printed, 0, status);

    assertEveryVideoInGold(lake, expected);
  }

  static List<String> ids(List<JsonNode> items) {
    return items.stream().map(i -> i.path("id").asText()).sorted().collect(Collectors.toList());
  }

  static Map<String, GenericRecord> readGold(Path partition) throws IOException {
    Map<String, GenericRecord> rows = new HashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(partition)) {
      files = s.filter(p -> p.toString().endsWith(".parquet")).collect(Collectors.toList());
    }
    assertFalse("no Parquet in " + partition, files.isEmpty());
    for (Path f : files) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))
              .build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          GenericRecord previous = rows.put(String.valueOf(r.get("video_id")), r);
          assertNull("video " + r.get("video_id") + " twice in gold", previous);
        }
      }
    }
    return rows;
  }

  /** Every ingested video is in both regions' gold with the values the API gave. */
  static void assertEveryVideoInGold(Path lake, List<JsonNode> expected) throws IOException {
    for (String region : List.of("pl", "us")) {
      Map<String, GenericRecord> gold =
          readGold(lake.resolve("gold/trending/region=" + region + "/trending_date=2026-11-22"));
      assertEquals(
          region + " gold video ids",
          ids(expected),
          gold.keySet().stream().sorted().collect(Collectors.toList()));
      for (JsonNode item : expected) {
        GenericRecord g = gold.get(item.path("id").asText());
        JsonNode sn = item.path("snippet");
        JsonNode st = item.path("statistics");
        assertEquals(st.path("viewCount").asLong(), g.get("views"));
        assertEquals(
            st.has("likeCount") ? Long.valueOf(st.path("likeCount").asLong()) : null,
            g.get("likes"));
        assertEquals(
            st.has("commentCount") ? Long.valueOf(st.path("commentCount").asLong()) : null,
            g.get("comment_count"));
        assertNull(g.get("dislikes"));
        assertEquals(!st.has("likeCount"), g.get("ratings_disabled"));
        assertEquals(!st.has("commentCount"), g.get("comments_disabled"));
        assertEquals(sn.path("title").asText(), String.valueOf(g.get("title")));
        assertEquals(sn.path("channelId").asText(), String.valueOf(g.get("channel_id")));
        assertEquals(sn.path("categoryId").asLong(), g.get("category_id"));
        assertNotNull("category joined for " + item.path("id"), g.get("category_title"));
        String description = sn.path("description").asText();
        if (description.indexOf('\r') < 0 && !description.contains("\\n")) {
          // an empty description is null in gold, as every engine reads an empty CSV field
          Object gd = g.get("description");
          assertEquals(
              description.isEmpty() ? null : description, gd == null ? null : gd.toString());
        }
        List<String> tags = new ArrayList<>();
        sn.path("tags").forEach(t -> tags.add(t.asText()));
        List<String> goldTags = new ArrayList<>();
        ((List<?>) g.get("tags")).forEach(t -> goldTags.add(String.valueOf(t)));
        if (tags.stream()
            .noneMatch(t -> t.contains("|") || t.startsWith("\"") || !t.equals(t.strip()))) {
          assertEquals(tags, goldTags);
        }
      }
      assertTrue(((List<?>) gold.get("e2eNoTags01").get("tags")).isEmpty());
    }
    assertFalse(
        Files.exists(lake.resolve("quarantine/region=us"))
            && Files.list(lake.resolve("quarantine/region=us")).findAny().isPresent());
  }

  /** {@code trendlake ingest} of PL and US into {@code bronze}, from a replay of the two pages. */
  static void ingestPlAndUs(Path bronze, byte[] p1, byte[] p2, byte[] categories)
      throws IOException {
    try (ReplayServer api = new ReplayServer()) {
      for (String region : List.of("PL", "US")) {
        api.on("videos", region, null, Reply.ok(p1))
            .on("videos", region, "CDIQAA", Reply.ok(p2))
            .on("videoCategories", region, null, Reply.ok(categories));
      }
      IngestTest.Result r =
          IngestTest.ingest(
              IngestTest.T,
              Map.of(ApiKeys.ENV, IngestTest.KEY),
              "--regions=pl,us",
              "--output=" + bronze,
              "--apiBaseUrl=" + api.baseUrl());
      assertEquals(r.all(), 0, r.exit());
    }
  }
}
