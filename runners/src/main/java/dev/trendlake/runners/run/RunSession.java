package dev.trendlake.runners.run;

import dev.trendlake.pipeline.StageTimes;
import dev.trendlake.pipeline.TrendlakePipeline;
import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.pipeline.config.RunConfigValidator;
import dev.trendlake.pipeline.config.RunOption;
import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.pipeline.warehouse.WarehouseException;
import dev.trendlake.runners.FlinkClientContext;
import dev.trendlake.runners.Relaunch;
import dev.trendlake.runners.s3.S3Preflight;
import dev.trendlake.runners.warehouse.WarehouseSession;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code trendlake run}, from a checked {@link RunConfig} to an exit status: settle the runner
 * ({@link RunnerChoice}), move to a JVM that fits it if needed ({@link Relaunch}), make Beam's
 * options ({@link BeamOptions}), check S3 before any work ({@link S3Preflight}), open the warehouse
 * ({@link WarehouseSession}), build the graph with {@link TrendlakePipeline#build} and run it, then
 * print the summary ({@link RunSummary}) or why it failed ({@link FailureReport}). Before it writes
 * anything, the run marks itself alive in the output's staging and sweeps what dead runs left there
 * ({@link StagingSweep}).
 *
 * <p>Exit status 0 on success, 1 when the run failed, 2 for options or a store that can't be used.
 */
public final class RunSession {
  private RunSession() {}

  private static final Logger LOG = LoggerFactory.getLogger(RunSession.class);

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
    try (Closeable alive = StagingSweep.markAlive(config.output(), config.runId())) {
      String swept =
          StagingSweep.sweepOthers(
              config.output(),
              config.runId(),
              config.usesS3() ? options.as(S3StoreOptions.class) : null,
              StagingSweep.S3_MIN_AGE);
      if (!swept.isEmpty()) {
        LOG.info("{}", swept);
      }
      int status = run(config, options, launched, out, err);
      if (status != 0 && StorePaths.isLocal(config.output())) {
        StagingSweep.removeOwn(config.output(), config.runId(), null); // e.g. only the lock file
      }
      return status;
    } catch (IOException e) {
      err.println(
          "trendlake: the run could not start in " + config.output() + ": " + e.getMessage());
      return 1;
    }
  }

  /** The run itself, once this process is marked alive in the output's staging. */
  private static int run(
      RunConfig config, PipelineOptions options, long launched, PrintWriter out, PrintWriter err) {
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
      out.flush();
      return 0;
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
