package dev.trendlake.runners.run;

import dev.trendlake.pipeline.StageTimes;
import dev.trendlake.pipeline.TrendlakePipeline;
import dev.trendlake.pipeline.commit.FinishRun;
import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.pipeline.config.RunConfigValidator;
import dev.trendlake.pipeline.config.RunOption;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.pipeline.warehouse.WarehouseException;
import dev.trendlake.runners.FlinkClientContext;
import dev.trendlake.runners.Relaunch;
import dev.trendlake.runners.s3.S3Preflight;
import dev.trendlake.runners.warehouse.WarehouseSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * One {@code trendlake run}, from a checked {@link RunConfig} to an exit status: settle the runner
 * ({@link RunnerChoice}), move to a JVM that fits it if needed ({@link Relaunch}), make Beam's
 * options ({@link BeamOptions}), check S3 before any work ({@link S3Preflight}), open the warehouse
 * ({@link WarehouseSession}), build the graph with {@link TrendlakePipeline#build} and run it, then
 * print the summary ({@link RunSummary}) or why it failed ({@link FailureReport}).
 *
 * <p>Exit status 0 on success, 1 when the run failed, 2 for options or a store that can't be used,
 * {@value #METRICS_NOT_PUBLISHED} when it committed but could not publish its CloudWatch metrics.
 */
public final class RunSession {
  private RunSession() {}

  /**
   * Exit status of a run that committed its data (and loaded its warehouse) but could not publish
   * its metrics to CloudWatch. (3 is kept for a run a quality rule rejects.)
   */
  public static final int METRICS_NOT_PUBLISHED = 4;

  public static int run(RunConfig given, PrintWriter out, PrintWriter err) {
    long launched = System.currentTimeMillis(); // start-up is measured from here (StageTimes)
    RunConfig config;
    PipelineOptions options;
    try {
      S3StoreOptions s3 = null;
      if (given.usesS3()) {
        // checked before anything else touches the store: one message naming what is wrong
        s3 = BeamOptions.create(given.withRunner("DirectRunner", "")).as(S3StoreOptions.class);
        S3Preflight.check(s3, given.input(), given.output(), given.runId());
      }
      config = RunnerChoice.settle(given, BronzeListing.of(given.input(), s3));
      if (config.isFlink() && embeddedFlink(config)) {
        List<String> missing = Relaunch.missingFor(slots(config));
        if (!missing.isEmpty()) {
          out.flush();
          List<String> jvm = new ArrayList<>(missing);
          jvm.add("-D" + RunnerChoice.REASON_PROPERTY + "=" + config.runnerReason());
          return Relaunch.run(jvm, commandLine(config));
        }
      }
      options = BeamOptions.create(config);
    } catch (RunConfigValidator.InvalidOptions e) {
      err.println("trendlake run: " + e.getMessage());
      err.println("Run 'trendlake run --help' for the options.");
      return 2;
    } catch (S3Preflight.Unusable e) {
      err.println(
          "trendlake: the S3 store can't be used, so the run did not start:\n  " + e.getMessage());
      return 2;
    }
    WarehouseSession warehouse;
    try {
      warehouse = WarehouseSession.open(config.warehouse(), config.output());
    } catch (WarehouseException e) {
      err.println("trendlake: " + e.getMessage());
      return 1;
    }
    PipelineResult result = null;
    long start = System.currentTimeMillis();
    try {
      RunConfig run = warehouse == null ? config : config.withWarehouseTarget(warehouse.target());
      Pipeline p = Pipeline.create(options);
      TrendlakePipeline.build(p, run);
      result = p.run();
      PipelineResult.State state = result.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        err.println("trendlake: the run ended in state " + state);
        return 1;
      }
      Map<String, Double> stages = StageTimes.of(result, launched);
      RunSummary.print(out, config, (System.currentTimeMillis() - start) / 1000.0, stages);
      if (warehouse != null) {
        warehouse.remember();
        warehouse.printSummary(out);
      }
      int status = reportMetrics(out, config.cloudWatchNamespace(), result);
      out.flush();
      return status;
    } catch (RuntimeException e) {
      cancelQuietly(result);
      FailureReport.print(err, config, options, e);
      return 1;
    } finally {
      if (warehouse != null) {
        warehouse.close();
      }
    }
  }

  /**
   * The summary's line about the CloudWatch metrics, and the exit status it implies: a committed
   * run whose metrics could not be published exits {@value #METRICS_NOT_PUBLISHED}, so that the
   * scheduler (the EMR step, the state machine and its alarm) sees what would otherwise only be a
   * warning in a log while the quarantine alarms stay silent.
   */
  static int reportMetrics(PrintWriter out, String namespace, PipelineResult result) {
    if (namespace == null) {
      return 0;
    }
    out.println();
    if (counter(result, FinishRun.PUBLISH_FAILED) > 0) {
      out.println(
          "  metrics     NOT published to CloudWatch namespace "
              + namespace
              + ": the data is committed, but the quarantine alarms got no points (the log's"
              + " warning says why); exit status "
              + METRICS_NOT_PUBLISHED);
      return METRICS_NOT_PUBLISHED;
    }
    out.println("  metrics     published to CloudWatch namespace " + namespace);
    return 0;
  }

  /** A counter of {@link FinishRun}, as the runner reports it (0 when it reports none). */
  private static long counter(PipelineResult result, String name) {
    long total = 0;
    try {
      for (MetricResult<Long> c :
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named(FinishRun.class, name))
                      .build())
              .getCounters()) {
        total += c.getAttempted() == null ? 0 : c.getAttempted();
      }
    } catch (RuntimeException e) {
      return 0; // a runner without metrics: nothing to report
    }
    return total;
  }

  private static boolean embeddedFlink(RunConfig config) {
    String master = config.given(RunOption.FLINK_MASTER);
    return (master == null || master.equals("[local]")) && !FlinkClientContext.active();
  }

  private static int slots(RunConfig config) {
    String p = config.given(RunOption.PARALLELISM);
    return p == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(p.trim());
  }

  /** The command line that repeats this run exactly: same options, runner and run id. */
  static List<String> commandLine(RunConfig config) {
    List<String> args = new ArrayList<>();
    args.add("run");
    config
        .given()
        .forEach(
            (o, v) -> {
              if (o != RunOption.RUNNER && o != RunOption.RUN_ID) {
                args.add(o.flag() + "=" + v);
              }
            });
    args.add(RunOption.RUNNER.flag() + "=" + config.runner());
    args.add(RunOption.RUN_ID.flag() + "=" + config.runId());
    args.addAll(config.beamArgs());
    return args;
  }

  /** Stops what is still running of a failed pipeline, so cleanup does not race its workers. */
  private static void cancelQuietly(PipelineResult result) {
    if (result != null) {
      try {
        result.cancel();
      } catch (IOException | RuntimeException ignored) {
        // already failed or finished: nothing left to stop
      }
    }
  }
}
