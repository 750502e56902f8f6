package dev.trendlake.runners.run;

import dev.trendlake.pipeline.StageTimes;
import dev.trendlake.pipeline.TrendlakePipeline;
import dev.trendlake.pipeline.commit.LakeState;
import dev.trendlake.pipeline.commit.ManifestStore;
import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.pipeline.config.RunConfigValidator;
import dev.trendlake.pipeline.config.RunOption;
import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.pipeline.quality.QualityRules;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.pipeline.warehouse.Star;
import dev.trendlake.pipeline.warehouse.WarehouseException;
import dev.trendlake.runners.FlinkClientContext;
import dev.trendlake.runners.Relaunch;
import dev.trendlake.runners.progress.Progress;
import dev.trendlake.runners.progress.RunProgress;
import dev.trendlake.runners.s3.S3Preflight;
import dev.trendlake.runners.warehouse.WarehouseSession;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code trendlake run}, from a checked {@link RunConfig} to an exit status: check S3 before
 * any work ({@link S3Preflight}), take the output's lock ({@link OutputLock}), finish a commit a
 * killed run left and read the committed state ({@link ManifestStore}), decide what to read from
 * the bronze listing ({@link IncrementPlanner}), settle the runner ({@link RunnerChoice}), move to
 * a JVM that fits it if needed ({@link Relaunch}), make Beam's options ({@link BeamOptions}), open
 * the warehouse ({@link WarehouseSession}), build the graph with {@link TrendlakePipeline#build}
 * and run it, then print the summary ({@link RunSummary}) or why it failed ({@link FailureReport}).
 * Before it writes anything, the run marks itself alive in the output's staging and sweeps what
 * dead runs left there ({@link StagingSweep}).
 *
 * <p>Exit status 0 on success (also when there was nothing new to do), 1 when the run failed, 2
 * when it did not start (options, a rules file, a store or manifest that can't be used, an output
 * locked by another run, processed bronze files that changed), 3 when a {@code fail} quality rule
 * rejected the run, {@value #METRICS_NOT_PUBLISHED} when it committed but could not publish its
 * CloudWatch metrics.
 */
public final class RunSession {
  private RunSession() {}

  private static final Logger LOG = LoggerFactory.getLogger(RunSession.class);

  /**
   * Exit status of a run that committed its data (and loaded its warehouse) but could not publish
   * its metrics to CloudWatch. (3 is kept for a run a quality rule rejects.)
   */
  public static final int METRICS_NOT_PUBLISHED = 4;

  public static int run(RunConfig given, PrintWriter out, PrintWriter err) {
    long launched = System.currentTimeMillis(); // start-up is measured from here (StageTimes)
    S3StoreOptions s3 = null;
    try {
      if (given.usesS3()) {
        // checked before anything else touches the store: one message naming what is wrong
        s3 = BeamOptions.create(given.withRunner("DirectRunner", "")).as(S3StoreOptions.class);
        S3Preflight.check(
            s3,
            given.input(),
            given.output(),
            given.runId(),
            given.dataset().mainFolder(),
            given.continuous());
        FileSystems.setDefaultPipelineOptions(s3);
      }
    } catch (RunConfigValidator.InvalidOptions e) {
      return invalid(err, e);
    } catch (S3Preflight.Unusable e) {
      return unusableStore(err, e);
    }
    // counted down once the lock is released: a continuous run's Ctrl-C waits for it
    CountDownLatch unlocked = new CountDownLatch(1);
    try (OutputLock lock =
        OutputLock.acquire(given.output(), s3, given.runId(), given.breakLock(), err)) {
      return locked(given, s3, launched, unlocked, out, err);
    } catch (OutputLock.Held e) {
      err.println("trendlake: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("trendlake: could not lock the output " + given.output() + ": " + e.getMessage());
      return 2;
    } finally {
      unlocked.countDown();
    }
  }

  /** The run, holding the output's lock: state, plan, runner, then the graph. */
  private static int locked(
      RunConfig given,
      S3StoreOptions s3,
      long launched,
      CountDownLatch unlocked,
      PrintWriter out,
      PrintWriter err) {
    RunConfig config;
    IncrementPlanner.Plan plan;
    try {
      ManifestStore.finishInterruptedCommit(given.output())
          .ifPresent(
              run ->
                  out.println(
                      "trendlake: finished the commit of run "
                          + run
                          + ", which was interrupted while moving its files"));
      boolean full = given.full();
      if (given.continuous()) {
        // a continuous job itself reads the state, watches bronze and reloads a cut warehouse load
        ManifestStore.state(given.output(), false, given.dataset());
        return launch(RunnerChoice.settle(given, 0, 0), null, launched, unlocked, out, err);
      }
      Optional<String> unloaded =
          given.warehouse().enabled()
              ? ManifestStore.loadPending(given.output())
              : Optional.empty();
      if (unloaded.isPresent() && !full) {
        full = true;
        out.println(
            "trendlake: the warehouse load of run "
                + unloaded.get()
                + " did not finish, so the warehouse lacks rows the lake has; this run"
                + " recomputes the lake in full and loads all of it");
      }
      LakeState state = ManifestStore.state(given.output(), full, given.dataset());
      BronzeListing listing =
          BronzeListing.of(
              given.input(), BronzeListing.forInput(given.input(), s3), given.dataset());
      plan = IncrementPlanner.plan(state, listing, full, given.reprocessChanged(), given.dataset());
      if (plan.refused()) {
        err.println(IncrementPlanner.refusalMessage(plan, given.input()));
        return 2;
      }
      if (plan.nothingToDo()) {
        out.println(IncrementPlanner.nothingNewLine(plan, listing, given.input(), given.dataset()));
        out.flush();
        return 0;
      }
      config =
          RunnerChoice.settle(
              given.withIncrement(plan.increment()), plan.filesToRead(), plan.bytesToRead());
    } catch (RunConfigValidator.InvalidOptions e) {
      return invalid(err, e);
    } catch (S3Preflight.Unusable e) {
      return unusableStore(err, e);
    } catch (ManifestStore.Unreadable e) {
      err.println("trendlake: the output's manifest can't be used, so the run did not start:");
      err.println("  " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println(
          "trendlake: could not finish the commit a killed run left in "
              + given.output()
              + "/_manifests/_commit.json, so the run did not start: "
              + e.getMessage());
      return 1;
    }
    return launch(config, plan, launched, unlocked, out, err);
  }

  /**
   * The settled run: a JVM that fits it, Beam's options and an {@code s3://} rules file, then the
   * graph. {@code plan} is null for a continuous run, whose job reads the state itself.
   */
  private static int launch(
      RunConfig config,
      IncrementPlanner.Plan plan,
      long launched,
      CountDownLatch unlocked,
      PrintWriter out,
      PrintWriter err) {
    PipelineOptions options;
    try {
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
      if (config.qualityRules() == null) {
        // an s3:// rules file: readable only now that the store is configured
        FileSystems.setDefaultPipelineOptions(options);
        config =
            config.withQualityRules(
                QualityRules.load(config.given(RunOption.QUALITY_RULES).trim()));
      }
    } catch (QualityRules.Invalid e) {
      err.println("trendlake run: " + e.getMessage());
      err.println("docs/quality.md describes the rules file.");
      return 2;
    } catch (RunConfigValidator.InvalidOptions e) {
      return invalid(err, e);
    } catch (S3Preflight.Unusable e) {
      return unusableStore(err, e);
    }
    return execute(config, options, plan, launched, unlocked, out, err);
  }

  /** Marks this process alive in the output's staging, sweeps what dead runs left, then runs. */
  private static int execute(
      RunConfig config,
      PipelineOptions options,
      IncrementPlanner.Plan plan,
      long launched,
      CountDownLatch unlocked,
      PrintWriter out,
      PrintWriter err) {
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
      int status = run(config, options, plan, launched, unlocked, out, err);
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

  /**
   * The run itself, once this process is marked alive in the output's staging: a continuous run
   * hands over to {@link ContinuousSession}, a batch run builds the graph and reports progress.
   */
  private static int run(
      RunConfig config,
      PipelineOptions options,
      IncrementPlanner.Plan plan,
      long launched,
      CountDownLatch unlocked,
      PrintWriter out,
      PrintWriter err) {
    WarehouseSession warehouse;
    try {
      // a continuous run's Ctrl-C still commits and loads: its hook, not the server's, ends it
      warehouse =
          WarehouseSession.open(
              config.warehouse(),
              config.output(),
              Star.of(config.dataset()).orElse(null),
              !config.continuous());
    } catch (WarehouseException e) {
      err.println("trendlake: " + e.getMessage());
      return 1;
    }
    PipelineResult result = null;
    long start = System.currentTimeMillis();
    AtomicReference<PipelineResult> live = new AtomicReference<>();
    Progress progress = null;
    try {
      RunConfig run = warehouse == null ? config : config.withWarehouseTarget(warehouse.target());
      if (config.continuous()) {
        int status = ContinuousSession.run(run, options, unlocked, out, err);
        if (status == 0 && warehouse != null) {
          warehouse.remember();
          warehouse.printSummary(out);
        }
        return status;
      }
      Pipeline p = Pipeline.create(options);
      TrendlakePipeline.build(p, run);
      progress =
          RunProgress.start(config, options, plan.filesToRead(), plan.bytesToRead(), live, err);
      result = p.run();
      live.set(result);
      PipelineResult.State state = result.waitUntilFinish();
      if (progress != null) {
        progress.finish(RunProgress.last(result));
        progress = null;
      }
      if (state != PipelineResult.State.DONE) {
        err.println("trendlake: the run ended in state " + state);
        return 1;
      }
      Map<String, Double> stages = StageTimes.of(result, launched);
      RunSummary.print(out, config, (System.currentTimeMillis() - start) / 1000.0, stages);
      if (warehouse != null) {
        clearLoadPending(config.output(), err);
        warehouse.remember();
        warehouse.printSummary(out);
      }
      int status = MetricsSummary.report(out, config.cloudWatchNamespace(), result);
      out.flush();
      return status;
    } catch (RuntimeException e) {
      cancelQuietly(result);
      return FailureReport.print(err, config, options, e);
    } finally {
      if (progress != null) {
        progress.close();
      }
      if (warehouse != null) {
        warehouse.close();
      }
    }
  }

  /** The warehouse caught up; if the marker stays, the next run is full, which is still right. */
  private static void clearLoadPending(String output, PrintWriter err) {
    try {
      ManifestStore.clearLoadPending(output);
    } catch (IOException e) {
      err.println(
          "trendlake: warning: the warehouse is loaded, but the marker saying it was behind could"
              + " not be removed, so the next run will be a full one: "
              + e.getMessage());
    }
  }

  private static int invalid(PrintWriter err, RunConfigValidator.InvalidOptions e) {
    err.println("trendlake run: " + e.getMessage());
    err.println("Run 'trendlake run --help' for the options.");
    return 2;
  }

  private static int unusableStore(PrintWriter err, S3Preflight.Unusable e) {
    err.println(
        "trendlake: the S3 store can't be used, so the run did not start:\n  " + e.getMessage());
    return 2;
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
