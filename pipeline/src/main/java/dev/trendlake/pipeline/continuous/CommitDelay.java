package dev.trendlake.pipeline.continuous;

import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The per-partition wait of a continuous job: new rows (batches of type {@code V}), keyed by their
 * output partition, are held in the partition's state from its first new row until {@code
 * commitDelay} has passed (a processing-time timer, checkpointed with the state), then all of them
 * go on to the commit at once. Rows that come while the timer runs join the same commit; the next
 * row after it starts a new wait. So a partition is rewritten at most once a {@code commitDelay},
 * however many files reach it, and a row waits at most that long here.
 *
 * <p>A timer rather than a trigger on a grouping: the delay counts from the partition's first row,
 * per partition, and its state is only the rows waiting, cleared when they leave.
 */
public final class CommitDelay<V>
    extends PTransform<PCollection<KV<String, V>>, PCollection<KV<String, V>>> {
  private final java.time.Duration delay;

  public CommitDelay(java.time.Duration delay) {
    this.delay = delay;
  }

  @Override
  public PCollection<KV<String, V>> expand(PCollection<KV<String, V>> rows) {
    @SuppressWarnings("unchecked")
    KvCoder<String, V> coder = (KvCoder<String, V>) rows.getCoder();
    return rows.apply(
            "HoldPerPartition", ParDo.of(new DelayFn<>(delay.toMillis(), coder.getValueCoder())))
        .setCoder(coder);
  }

  static final class DelayFn<V> extends DoFn<KV<String, V>, KV<String, V>> {
    private final long delayMillis;
    private final Counter released = Metrics.counter(CommitDelay.class, "partitions_released");

    @StateId("rows")
    private final StateSpec<BagState<V>> rowsSpec;

    @StateId("waiting")
    private final StateSpec<ValueState<Boolean>> waitingSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("due")
    private final TimerSpec dueSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    DelayFn(long delayMillis, Coder<V> batchCoder) {
      this.delayMillis = delayMillis;
      this.rowsSpec = StateSpecs.bag(batchCoder);
    }

    @ProcessElement
    public void process(
        @Element KV<String, V> batch,
        @StateId("rows") BagState<V> rows,
        @StateId("waiting") ValueState<Boolean> waiting,
        @TimerId("due") Timer due) {
      rows.add(batch.getValue());
      if (waiting.read() == null) {
        due.offset(Duration.millis(delayMillis)).setRelative();
        waiting.write(true);
      }
    }

    @OnTimer("due")
    public void release(
        @Key String partition,
        @StateId("rows") BagState<V> rows,
        @StateId("waiting") ValueState<Boolean> waiting,
        OutputReceiver<KV<String, V>> out) {
      for (V batch : rows.read()) {
        out.output(KV.of(partition, batch));
      }
      rows.clear();
      waiting.clear();
      released.inc();
    }
  }
}
