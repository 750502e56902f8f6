package dev.trendlake.transforms;

import java.io.Serializable;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The wall-clock span of one stage of the job, measured from inside it: every bundle of the stage
 * records when it started and finished into two Beam distributions, which every runner aggregates
 * across workers, so the earliest start and the latest finish give the stage's span. Beam fuses
 * steps and Flink chains them, so a stage's time cannot be read from outside the job; the run
 * summary and the benchmark report these spans ({@code pipeline/.../StageTimes}).
 */
public final class StageClock implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The metrics namespace of every stage clock. */
  public static final String NAMESPACE = "trendlake.stage";

  public static final String READ = "read";
  public static final String DEDUPE_WRITE = "dedupe_write";
  public static final String FINISH = "finish";

  private final Distribution start;
  private final Distribution end;

  public StageClock(String stage) {
    this.start = Metrics.distribution(NAMESPACE, stage + ".start_ms");
    this.end = Metrics.distribution(NAMESPACE, stage + ".end_ms");
  }

  /** Call from {@code @StartBundle}. */
  public void bundleStarted() {
    start.update(System.currentTimeMillis());
  }

  /** Call from {@code @FinishBundle}. */
  public void bundleFinished() {
    end.update(System.currentTimeMillis());
  }
}
