package dev.trendlake.runners.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A Flink job found by its name on a JobManager's REST API, and cancelled there. The FlinkRunner
 * blocks in {@code run()} for as long as the job runs and hands back no handle before it ends, so a
 * launcher that must end a job it started (a continuous job whose watcher has ended) goes through
 * the address it already knows for progress: the embedded cluster's REST port, or {@code
 * --flinkMaster}.
 */
public final class FlinkRestJobs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> LIVE =
      Set.of("CREATED", "INITIALIZING", "RUNNING", "RESTARTING", "RECONCILING", "FAILING");

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * @param base the REST address, e.g. {@code http://localhost:8081}
   */
  public FlinkRestJobs(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** The id of the job of that name that has not ended, if the JobManager lists one. */
  public Optional<String> liveJob(String name) throws IOException {
    for (JsonNode j : get("/jobs/overview").path("jobs")) {
      if (name.equals(j.path("name").asText()) && LIVE.contains(j.path("state").asText())) {
        return Optional.of(j.path("jid").asText());
      }
    }
    return Optional.empty();
  }

  /** Asks the JobManager to cancel the job; the cancellation itself follows asynchronously. */
  public void cancel(String jobId) throws IOException {
    send(
        HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
            .timeout(Duration.ofSeconds(10))
            .method("PATCH", HttpRequest.BodyPublishers.noBody())
            .build());
  }

  JsonNode get(String path) throws IOException {
    return JSON.readTree(
        send(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build()));
  }

  private String send(HttpRequest req) throws IOException {
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IOException(
            req.method() + " " + req.uri().getPath() + ": HTTP " + r.statusCode());
      }
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
