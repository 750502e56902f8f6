package dev.trendlake.runners.run;

import dev.trendlake.pipeline.TrendlakePipeline;
import dev.trendlake.pipeline.commit.ManifestStore;
import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.pipeline.continuous.DrainSignal;
import dev.trendlake.pipeline.continuous.WatchEnded;
import dev.trendlake.pipeline.io.OutputPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A continuous run ({@code --continuous}), from the built graph to its end: it says what it
 * watches, runs the job until its watcher ends it ({@code --stopWhenIdle}, or a drain request), and
 * prints the lake as its last commit left it.
 *
 * <p>Ctrl-C (SIGINT or SIGTERM to the launcher) asks the job to drain ({@link DrainSignal}): it
 * reads no new file, commits what it has read, then ends; the shutdown hook waits for that and for
 * the output's lock to be released (at most {@link #DRAIN_WAIT_MINUTES} minutes), so no partition
 * is left half committed by the stop and the next start needs no {@code --breakLock}. A job killed
 * anywhere is still recovered by the next start (the lake's state is the bookmark, and a cut commit
 * is finished first).
 */
final class ContinuousSession {
  private ContinuousSession() {}

  static final long DRAIN_WAIT_MINUTES = 15;

  /**
   * @param unlocked counted down by the caller once the output's lock is released
   */
  static int run(
      RunConfig config,
      PipelineOptions options,
      CountDownLatch unlocked,
      PrintWriter out,
      PrintWriter err) {
    try {
      DrainSignal.clear(config.output());
      WatchEnded.clear(config.output());
    } catch (IOException e) {
      err.println(
          "trendlake: could not remove an old stop request "
              + DrainSignal.path(config.output())
              + ", so the job would end at once: "
              + e.getMessage());
      return 1;
    }
    long start = System.currentTimeMillis();
    Optional<String> before = ManifestStore.latestRunId(config.output());
    out.println(
        "trendlake run "
            + config.runId()
            + " watches "
            + config.input()
            + " every "
            + config.watchInterval().toString().substring(2).toLowerCase()
            + " on "
            + config.runner()
            + " and commits a partition "
            + config.commitDelay().toString().substring(2).toLowerCase()
            + " after its first new row; "
            + (config.stopWhenIdle() != null
                ? "it ends once nothing new came for "
                    + config.stopWhenIdle().toString().substring(2).toLowerCase()
                : "Ctrl-C ends it after its current commits"));
    if (!config.runnerReason().isEmpty()) {
      out.println("  runner: " + config.runnerReason());
    }
    out.flush();
    Pipeline p = Pipeline.create(options);
    TrendlakePipeline.build(p, config);
    CountDownLatch ended = new CountDownLatch(1);
    Thread drain =
        new Thread(
            () -> {
              try {
                if (ended.getCount() > 0) {
                  DrainSignal.request(config.output(), "the launcher was stopped (Ctrl-C)");
                  System.err.println("trendlake: stopping after the current commits");
                }
                unlocked.await(DRAIN_WAIT_MINUTES, TimeUnit.MINUTES);
              } catch (IOException e) {
                System.err.println("trendlake: could not ask the job to stop: " + e.getMessage());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "trendlake-drain");
    Runtime.getRuntime().addShutdownHook(drain);
    EndOfWatch end = EndOfWatch.start(config, options);
    try {
      PipelineResult.State state;
      try {
        state = untilTheWatchEnds(p.run(), config.output());
      } catch (RuntimeException e) {
        if (!end.cancelled()) {
          throw e;
        }
        state = PipelineResult.State.DONE; // the FlinkRunner reports the cancel as a failure
      }
      if (state != PipelineResult.State.DONE) {
        err.println("trendlake: the continuous run ended in state " + state);
        return 1;
      }
      summary(out, config, before, (System.currentTimeMillis() - start) / 1000.0);
      out.flush();
      return 0;
    } finally {
      end.close();
      ended.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(drain);
      } catch (IllegalStateException shuttingDown) {
        // shutting down: the hook waits for the lock to be released, which follows this return
      }
      try {
        DrainSignal.clear(config.output());
        WatchEnded.clear(config.output());
      } catch (IOException ignored) {
        // the next start removes it
      }
    }
  }

  /**
   * Waits for a job whose {@code run()} returned before its end (the DirectRunner's): until it ends
   * by itself, as it does once the watcher has ended, or, should it not, until the watcher has
   * recorded its end ({@link WatchEnded}), when it is cancelled with nothing left to do. The
   * FlinkRunner's {@code run()} returns only at the end; {@link EndOfWatch} cancels a Flink job.
   */
  private static PipelineResult.State untilTheWatchEnds(PipelineResult result, String output) {
    while (true) {
      PipelineResult.State state = result.waitUntilFinish(WATCH_END_POLL);
      if (state != null && state.isTerminal()) {
        return state;
      }
      if (EndOfWatch.ended(output)) {
        try {
          result.cancel();
          result.waitUntilFinish();
        } catch (IOException | RuntimeException e) {
          // it ended between the poll and the cancel
        }
        return PipelineResult.State.DONE;
      }
    }
  }

  private static final org.joda.time.Duration WATCH_END_POLL =
      org.joda.time.Duration.standardSeconds(1);

  /** What the job committed, and the lake as its last commit left it. */
  private static void summary(
      PrintWriter out, RunConfig config, Optional<String> before, double secs) {
    Optional<String> last = ManifestStore.latestRunId(config.output());
    String prefix = config.runId() + ".";
    if (last.isEmpty() || last.equals(before) || !last.get().startsWith(prefix)) {
      out.printf(
          java.util.Locale.ROOT,
          "trendlake run %s ended after %.1f s on %s: nothing new was committed%n",
          config.runId(),
          secs,
          config.runner());
      return;
    }
    int commits = Integer.parseInt(last.get().substring(prefix.length()));
    out.printf(
        java.util.Locale.ROOT,
        "trendlake run %s ended after %.1f s: %d commit(s), the last %s (_manifests/<commit>.json"
            + " has each)%n",
        config.runId(),
        secs,
        commits,
        last.get());
    RunSummary.print(
        out,
        config,
        config.output() + "/" + OutputPaths.MANIFESTS + "/" + last.get() + ".json",
        secs,
        java.util.Map.of());
  }
}
