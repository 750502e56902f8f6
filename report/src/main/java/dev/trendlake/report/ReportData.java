package dev.trendlake.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.pipeline.io.OutputPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The numbers the report page draws, as one JSON document embedded in it: small enough for a
 * browser (aggregated per region and day, never a row per gold row), fine enough for the page's
 * region and date filters to recompute every chart. A video's views, likes, category and channel
 * are its last trending day's, and a date filter selects videos by that day.
 */
final class ReportData {
  private ReportData() {}

  /** Top channels kept per region (the page shows the top ones of the filtered set). */
  static final int CHANNELS_PER_REGION = 100;

  /** Videos per region in the views-vs-likes scatter, spread evenly over the region's videos. */
  static final int POINTS_PER_REGION = 1500;

  /** Hours from publish to the first trending day (its 00:00 UTC), as the histogram's buckets. */
  static final String[] LAG_BUCKETS = {
    "same day", "< 1 day", "1-2 days", "2-3 days", "3-7 days", "7+ days"
  };

  private static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode of(String lake, GoldSummary g) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("lake", lake);
    root.put("rows", g.rows);
    root.put("files", g.files);
    ArrayNode buckets = root.putArray("lag_buckets");
    for (String b : LAG_BUCKETS) {
      buckets.add(b);
    }
    ArrayNode days = root.putArray("days"); // [region, day, rows]
    new TreeMap<>(g.rowsPerDay)
        .forEach(
            (r, m) ->
                new TreeMap<>(m).forEach((d, n) -> days.addArray().add(r).add(date(d)).add(n)));
    ArrayNode categories =
        root.putArray("categories"); // [region, category, last day, views, videos]
    ArrayNode channels = root.putArray("channels"); // [region, channel, last day, views, videos]
    ArrayNode points = root.putArray("points"); // [region, last day, views, likes]
    ArrayNode lags = root.putArray("lags"); // [region, first day, bucket, videos]
    for (Map.Entry<String, Map<String, GoldSummary.Video>> e : new TreeMap<>(g.videos).entrySet()) {
      String region = e.getKey();
      List<GoldSummary.Video> vs = new ArrayList<>(e.getValue().values());
      vs.sort(
          Comparator.comparingLong((GoldSummary.Video v) -> -v.views)
              .thenComparing(v -> v.channel));
      Map<String, long[]> byCat = new TreeMap<>();
      Map<String, long[]> byChannelDay = new TreeMap<>();
      Map<String, Long> channelViews = new TreeMap<>();
      Map<String, Long> lagCounts = new TreeMap<>();
      for (GoldSummary.Video v : vs) {
        add(byCat, v.category + "\t" + v.last, v.views);
        channelViews.merge(v.channel, v.views, Long::sum);
        long hours =
            Math.floorDiv(
                LocalDate.ofEpochDay(v.first).toEpochDay() * 86_400_000_000L - v.publishMicros,
                3_600_000_000L);
        lagCounts.merge(v.first + "\t" + bucket(hours), 1L, Long::sum);
      }
      List<String> top =
          channelViews.entrySet().stream()
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .limit(CHANNELS_PER_REGION)
              .map(Map.Entry::getKey)
              .toList();
      java.util.Set<String> topSet = new java.util.HashSet<>(top);
      for (GoldSummary.Video v : vs) {
        if (topSet.contains(v.channel)) {
          add(byChannelDay, v.channel + "\t" + v.last, v.views);
        }
      }
      byCat.forEach((k, a) -> row(categories, region, k, a));
      byChannelDay.forEach((k, a) -> row(channels, region, k, a));
      int step = Math.max(1, vs.size() / POINTS_PER_REGION);
      for (int i = 0; i < vs.size(); i += step) {
        GoldSummary.Video v = vs.get(i);
        if (v.likes >= 0) {
          points.addArray().add(region).add(date(v.last)).add(v.views).add(v.likes);
        }
      }
      lagCounts.forEach(
          (k, n) -> {
            String[] p = k.split("\t");
            lags.addArray()
                .add(region)
                .add(date(Integer.parseInt(p[0])))
                .add(Integer.parseInt(p[1]))
                .add(n);
          });
    }
    root.set("runs", runs(lake));
    return root;
  }

  private static void add(Map<String, long[]> m, String key, long views) {
    long[] a = m.computeIfAbsent(key, k -> new long[2]);
    a[0] += views;
    a[1]++;
  }

  private static void row(ArrayNode out, String region, String key, long[] a) {
    String[] p = key.split("\t");
    out.addArray().add(region).add(p[0]).add(date(Integer.parseInt(p[1]))).add(a[0]).add(a[1]);
  }

  static int bucket(long hours) {
    if (hours < 0) {
      return 0;
    }
    if (hours < 24) {
      return 1;
    }
    if (hours < 48) {
      return 2;
    }
    if (hours < 72) {
      return 3;
    }
    return hours < 168 ? 4 : 5;
  }

  private static String date(int epochDay) {
    return LocalDate.ofEpochDay(epochDay).toString();
  }

  /**
   * Each run's manifest, oldest first: status, quarantine by reason, quality pass rate and rules.
   */
  static ArrayNode runs(String lake) throws IOException {
    MatchResult m =
        FileSystems.match(
            lake + "/" + OutputPaths.MANIFESTS + "/*.json", EmptyMatchTreatment.ALLOW);
    List<JsonNode> manifests = new ArrayList<>();
    if (m.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata md : m.metadata()) {
        if (md.resourceId().getFilename().equals("latest.json")) {
          continue;
        }
        try (InputStream in = Channels.newInputStream(FileSystems.open(md.resourceId()))) {
          manifests.add(JSON.readTree(in));
        }
      }
    }
    manifests.sort(Comparator.comparing(n -> n.path("started_at").asText()));
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode n : manifests) {
      ObjectNode r = out.addObject();
      r.put("run_id", n.path("run_id").asText());
      r.put("started_at", n.path("started_at").asText());
      r.put("status", n.path("status").asText());
      r.set("quarantined", n.path("totals").path("quarantined_by_reason"));
      r.put("records", n.path("totals").path("records").asLong());
      JsonNode q = n.path("quality");
      if (!q.isMissingNode()) {
        r.put("pass_rate", q.path("pass_rate").asDouble());
        ArrayNode rules = r.putArray("rules");
        for (JsonNode rule : q.path("rules")) {
          rules
              .addArray()
              .add(rule.path("name").asText())
              .add(rule.path("status").asText())
              .add(rule.path("severity").asText());
        }
      }
    }
    return out;
  }
}
