package dev.trendlake.transforms;

import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A DoFn that times the stage it runs in, from inside: every bundle records when it started and
 * finished into two Beam distributions, which every runner aggregates across workers, so the
 * earliest start and the latest finish give the stage's span. Beam fuses steps and Flink chains
 * them, so a stage's time cannot be read from outside the job; the run summary and the benchmark
 * report these spans ({@code pipeline/.../StageTimes}). Subclasses must not declare their own
 * {@code @StartBundle} or {@code @FinishBundle}.
 */
public abstract class StageTimedDoFn<InputT, OutputT> extends DoFn<InputT, OutputT> {
  /** The metrics namespace of every stage's clock. */
  public static final String NAMESPACE = "trendlake.stage";

  public static final String READ = "read";
  public static final String DEDUPE_WRITE = "dedupe_write";
  public static final String FINISH = "finish";

  private final Distribution start;
  private final Distribution end;

  protected StageTimedDoFn(String stage) {
    this.start = Metrics.distribution(NAMESPACE, stage + ".start_ms");
    this.end = Metrics.distribution(NAMESPACE, stage + ".end_ms");
  }

  @StartBundle
  public void startBundleClock() {
    start.update(System.currentTimeMillis());
  }

  @FinishBundle
  public void finishBundleClock() {
    end.update(System.currentTimeMillis());
  }
}
