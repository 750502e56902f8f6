package dev.trendlake.runners.run;

import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.pipeline.continuous.WatchEnded;
import dev.trendlake.runners.progress.FlinkRestJobs;
import dev.trendlake.runners.progress.RunProgress;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a continuous Flink job once its watcher has ended ({@link WatchEnded}): the job keeps its
 * start-up source alive, so it would run on with nothing to do. The FlinkRunner blocks in {@code
 * run()} for the job's whole life and gives no handle before, so the job is cancelled by its name
 * through the JobManager's REST API, the address progress already uses (the embedded cluster's
 * port, or {@code --flinkMaster}). Inside a Flink client ({@code flink run}, {@code [auto]}) that
 * address is not known here: the job is left running and the log says how to end it.
 */
final class EndOfWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EndOfWatch.class);
  private static final long POLL_SECONDS = 1;

  /** Beam's runner, which reports a cancelled job as a failed execution. */
  static final String FLINK_RUNNER_LOGGER = "org.apache.beam.runners.flink.FlinkRunner";

  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final ScheduledExecutorService timer;
  private volatile ch.qos.logback.classic.Logger quieted;
  private volatile ch.qos.logback.classic.Level quietedFrom;

  private EndOfWatch(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Watches for the end of a Flink job's watch; does nothing on other runners. */
  static EndOfWatch start(RunConfig config, PipelineOptions options) {
    if (!config.isFlink()) {
      return new EndOfWatch(null);
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String rest = RunProgress.flinkRestAddress(flink.getFlinkMaster(), flink.getFlinkConfDir());
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "trendlake-end-of-watch");
              t.setDaemon(true);
              return t;
            });
    EndOfWatch e = new EndOfWatch(timer);
    String output = config.output();
    String jobName = options.getJobName();
    AtomicBoolean told = new AtomicBoolean();
    timer.scheduleWithFixedDelay(
        () -> {
          if (e.cancelled.get() || !ended(output)) {
            return;
          }
          if (rest == null) {
            if (!told.getAndSet(true)) {
              LOG.warn(
                  "The bronze watch has ended; job {} stays up with nothing to do: cancel it with"
                      + " 'flink cancel'",
                  jobName);
            }
            return;
          }
          try {
            Optional<String> id = new FlinkRestJobs(rest).liveJob(jobName);
            if (id.isPresent()) {
              e.cancelled.set(true);
              e.quietTheRunner();
              new FlinkRestJobs(rest).cancel(id.get());
              LOG.info("The bronze watch has ended: cancelled job {} ({})", jobName, id.get());
            }
          } catch (IOException | RuntimeException failed) {
            LOG.warn("Could not cancel job {} yet, trying again: {}", jobName, failed.getMessage());
          }
        },
        POLL_SECONDS,
        POLL_SECONDS,
        TimeUnit.SECONDS);
    return e;
  }

  /** True once this launcher cancelled the job because its watch had ended. */
  boolean cancelled() {
    return cancelled.get();
  }

  /** The watcher's end marker is there; one that can't be read now is looked for again. */
  static boolean ended(String output) {
    try {
      return WatchEnded.reason(output).isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The FlinkRunner logs the cancel this launcher makes as "Pipeline execution failed", at ERROR
   * with the cancellation's stack trace, though the run ended well (the session reports it so): its
   * logger is silenced from the cancel until {@link #close}, which restores its level.
   */
  private void quietTheRunner() {
    if (LoggerFactory.getLogger(FLINK_RUNNER_LOGGER) instanceof ch.qos.logback.classic.Logger l) {
      quietedFrom = l.getLevel();
      quieted = l;
      l.setLevel(ch.qos.logback.classic.Level.OFF);
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    if (quieted != null) {
      quieted.setLevel(quietedFrom);
      quieted = null;
    }
  }
}
