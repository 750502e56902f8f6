package dev.trendlake.runners.progress;

import dev.trendlake.pipeline.config.RunConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where a run's progress comes from, per runner: the DirectRunner's own metrics while it runs (the
 * launcher starts it with {@code --blockOnRun=false}, so {@code run()} hands back a live result),
 * and a Flink job's counters from the JobManager's REST API ({@link FlinkRestMetrics}), whose
 * address is also the web UI the run prints.
 */
public final class RunProgress {
  private RunProgress() {}

  /** Default REST port of a Flink JobManager. */
  static final int FLINK_REST_PORT = 8081;

  /**
   * Starts progress for a run, or returns null with {@code --quiet}.
   *
   * @param result set by the launcher once {@code run()} has returned (DirectRunner)
   */
  public static Progress start(
      RunConfig config,
      PipelineOptions options,
      long listedFiles,
      long listedBytes,
      AtomicReference<PipelineResult> result,
      PrintWriter err) {
    if (!config.showProgress()) {
      return null;
    }
    Progress.Style style =
        "json".equals(config.logFormat())
            ? Progress.Style.JSON
            : System.console() != null ? Progress.Style.TERMINAL : Progress.Style.PLAIN;
    Supplier<Snapshot> source =
        () -> {
          PipelineResult r = result.get();
          return r == null ? null : Snapshot.of(r.metrics().allMetrics());
        };
    String webUi = null;
    if (config.isFlink()) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      webUi = flinkRestAddress(flink.getFlinkMaster(), flink.getFlinkConfDir());
      if (webUi != null) {
        source = new FlinkRestMetrics(webUi, options.getJobName());
      }
    }
    Progress p =
        Progress.start(err, style, listedFiles, listedBytes, config.progressSeconds(), source);
    if (webUi != null) {
      p.note("Flink web UI: " + webUi);
    }
    return p;
  }

  /** The last counters of a finished run, or null when its runner has none. */
  public static Snapshot last(PipelineResult result) {
    try {
      return Snapshot.of(result.metrics().allMetrics());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The JobManager's REST address: {@code --flinkMaster} for a remote cluster, the port in the
   * Flink configuration for the embedded one; null inside a Flink client ({@code [auto]}), whose
   * cluster the client knows and the run does not.
   */
  public static String flinkRestAddress(String master, String confDir) {
    if (master == null || master.equals("[auto]") || master.equals("[collection]")) {
      return null;
    }
    if (!master.equals("[local]")) {
      return master.contains("://") ? master : "http://" + master;
    }
    int port = FLINK_REST_PORT;
    if (confDir != null) {
      for (String name : new String[] {"config.yaml", "flink-conf.yaml"}) {
        Path f = Path.of(confDir, name);
        try {
          for (String line :
              Files.exists(f) ? Files.readAllLines(f) : java.util.List.<String>of()) {
            String l = line.trim().toLowerCase(Locale.ROOT);
            if (l.startsWith("rest.port:") || l.startsWith("rest.bind-port:")) {
              port = Integer.parseInt(l.substring(l.indexOf(':') + 1).trim());
            }
          }
        } catch (IOException | NumberFormatException e) {
          // an unreadable or unusual configuration: the default port
        }
      }
    }
    return "http://localhost:" + port;
  }
}
