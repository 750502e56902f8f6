package dev.trendlake.runners.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Beam counters of a Flink job while it runs, read from the JobManager's REST API (the address of
 * the web UI). The FlinkRunner blocks in {@code run()} until a batch job ends and Beam's metrics
 * pusher starts only after that, so the live values come from where the FlinkRunner forwards every
 * Beam counter at the end of each bundle: Flink's own metric system, one counter per operator named
 * {@code <namespace>.<name>}, which the REST API serves summed over subtasks. The job is found by
 * its name (Beam's {@code --jobName}); its operators' metric ids are listed on every read, since a
 * counter exists in Flink only from the first bundle that reported it.
 *
 * <p>Counters reach Flink when a bundle ends. In Flink's batch mode a step's bundles end by count
 * (1,000 elements) or between elements once a second has passed, so a step whose few elements are
 * all slow (a handful of big files) may report only when it finishes.
 *
 * <p>Works the same for the embedded cluster (trendlake gives it a REST port at launch) and a
 * remote one ({@code --flinkMaster=host:port}). The JobManager refreshes these values every {@code
 * metrics.fetcher.update-interval} (10 s by default; 1 s in trendlake's embedded configuration).
 */
public final class FlinkRestMetrics implements Supplier<Snapshot> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final String jobName;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private String jobId;

  /**
   * The last value seen of every metric id: Flink serves the metrics of running tasks only, so a
   * finished step's counters would otherwise drop back to nothing.
   */
  private final Map<String, Double> seen = new HashMap<>();

  /**
   * @param base the REST address, e.g. {@code http://localhost:8081}
   */
  public FlinkRestMetrics(String base, String jobName) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.jobName = jobName;
  }

  /** The counters now, or null while the job is not listed yet. */
  @Override
  public synchronized Snapshot get() {
    if (jobId == null) {
      for (JsonNode j : get("/jobs/overview").path("jobs")) {
        if (jobName.equals(j.path("name").asText())) {
          jobId = j.path("jid").asText();
        }
      }
      if (jobId == null) {
        return null;
      }
    }
    for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
      String vid = v.path("id").asText();
      String path = "/jobs/" + jobId + "/vertices/" + vid + "/subtasks/metrics";
      List<String> ids = new ArrayList<>();
      for (JsonNode m : get(path)) {
        String id = m.path("id").asText();
        if (id.contains("dev.trendlake.") || id.contains("dev_trendlake_")) {
          ids.add(id);
        }
      }
      if (ids.isEmpty()) {
        continue;
      }
      String q = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
      for (JsonNode m : get(path + "?agg=sum&get=" + q)) {
        seen.merge(vid + "/" + m.path("id").asText(), m.path("sum").asDouble(), Math::max);
      }
    }
    Snapshot s = Snapshot.NONE;
    for (Map.Entry<String, Double> e : seen.entrySet()) {
      s = add(s, e.getKey(), e.getValue());
    }
    return s;
  }

  /**
   * Adds one metric to the snapshot. Its id is {@code <operator>.<namespace>_<name>} with the
   * namespace's dots as underscores ({@code
   * ReadStatistics/ParseCleanAndJoin.dev_trendlake_transforms_ReadStatistics_files}), or with dots
   * where a Flink configuration sets another scope delimiter.
   */
  static Snapshot add(Snapshot s, String id, double value) {
    for (String ns : Snapshot.NAMESPACES) {
      for (String form : new String[] {ns.replace('.', '_') + "_", ns + "."}) {
        int at = id.indexOf(form);
        if (at >= 0) {
          return Snapshot.plus(s, ns, id.substring(at + form.length()), Math.round(value));
        }
      }
    }
    return s;
  }

  private JsonNode get(String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .timeout(Duration.ofSeconds(3))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + r.statusCode() + " for " + path);
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
