package dev.trendlake.runners.run;

import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.pipeline.quality.QualityGate;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.pipeline.warehouse.Secrets;
import dev.trendlake.runners.s3.S3Errors;
import dev.trendlake.runners.s3.S3Preflight;
import dev.trendlake.runners.s3.S3Staging;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Says why a run failed in one message and what state the output is in, from what the run left
 * behind rather than from exception class names: its manifest's status tells whether the commit had
 * finished (then only the warehouse load, which runs after it, can have failed), was midway, or
 * never began, or whether the quality rules rejected the run (exit status 3). An S3 error is worded
 * by {@link S3Errors}, naming the endpoint and bucket; what the run staged is removed, locally and
 * on S3, so a failure on a full disk frees what it took.
 */
final class FailureReport {
  private FailureReport() {}

  /**
   * Prints why the run failed and returns its exit status: 3 when its quality rules rejected it
   * (the manifest says so), else 1.
   */
  static int print(PrintWriter err, RunConfig config, PipelineOptions options, Throwable e) {
    String why = why(config, options, e);
    if (config.continuous()) {
      // its commits have their own manifests (<run-id>.<number>): latest.json names the last
      err.println("trendlake: the continuous run failed: " + why);
      err.println(
          "Its commits before the failure stay in "
              + config.output()
              + " ("
              + OutputPaths.MANIFESTS
              + "/latest.json names the last). Start it again to go on from there: a commit cut"
              + " while moving its files is finished first, files not committed are read again,"
              + " and a warehouse load that did not finish is done again.");
      return 1;
    }
    String status = manifestStatus(config, options);
    if (QualityGate.REJECTED.equals(status)) {
      err.println("trendlake: " + why);
      err.println(
          "Fix the data or the rule (--qualityRules, docs/quality.md); earlier output in "
              + config.output()
              + " is unchanged but for the quarantine.");
      removeStaging(err, config, options);
      return 3;
    }
    if ("succeeded".equals(status)) {
      err.println("trendlake: the warehouse load failed: " + why);
      err.println(
          "Gold, silver and the run manifest were committed to "
              + config.output()
              + "; run again to complete the warehouse load (it is idempotent), or use"
              + " --warehouse=none.");
      return 1;
    }
    err.println("trendlake: the run failed: " + why);
    if ("committing".equals(status)) {
      err.println(
          "The run failed while committing: some partitions of "
              + config.output()
              + " already hold its files. "
              + OutputPaths.MANIFESTS
              + "/latest.json still names the last complete run; run again to finish.");
    } else {
      err.println(
          "Nothing was committed to " + config.output() + "; earlier output there is unchanged.");
    }
    removeStaging(err, config, options);
    return 1;
  }

  private static void removeStaging(PrintWriter err, RunConfig config, PipelineOptions options) {
    err.println(
        "Staging: "
            + StagingSweep.removeOwn(
                config.output(),
                config.runId(),
                StorePaths.isS3(config.output()) ? options.as(S3StoreOptions.class) : null)
            + ".");
  }

  private static String why(RunConfig config, PipelineOptions options, Throwable e) {
    List<String> buckets = new ArrayList<>();
    for (String path : List.of(config.input(), config.output())) {
      if (StorePaths.isS3(path)) {
        String bucket = S3Preflight.Location.of(path).bucket();
        if (!buckets.contains(bucket)) {
          buckets.add(bucket);
        }
      }
    }
    String why =
        buckets.isEmpty()
            ? rootMessage(e)
            : S3Errors.describeFailure(e, options.as(S3StoreOptions.class), buckets)
                .orElse(rootMessage(e));
    return Secrets.scrub(why);
  }

  /** The status in the run's manifest, or null when it can't be read (not written, store down). */
  static String manifestStatus(RunConfig config, PipelineOptions options) {
    String path = RunSummary.manifestPath(config);
    if (StorePaths.isS3(path)) {
      return S3Staging.manifestStatus(options.as(S3StoreOptions.class), path);
    }
    try {
      return RunSummary.readManifest(path).path("status").asText(null);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The message a user can act on: the deepest {@link IllegalStateException} or {@link IOException}
   * message in the cause chain (trendlake's own failures and I/O problems), else the first message,
   * else the deepest cause's; runners wrap failures in layers that only repeat it.
   */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    String best = e.getMessage();
    while (t != null) {
      boolean repeatsCause =
          t.getCause() != null
              && String.valueOf(t.getMessage()).equals(String.valueOf(t.getCause()));
      if (t.getMessage() != null
          && !repeatsCause
          && (t instanceof IllegalStateException || t instanceof IOException)) {
        best = t.getMessage();
      }
      if (t.getCause() == null || t.getCause() == t) {
        break;
      }
      t = t.getCause();
    }
    String last = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return best != null && best.length() < 4000 ? best : last;
  }
}
