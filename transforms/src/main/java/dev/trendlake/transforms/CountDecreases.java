package dev.trendlake.transforms;

import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.tally.QualityStats;
import dev.trendlake.transforms.tally.RunTally;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Counts, per group, how often a key's growing measure went down from one of its days to the next
 * (YouTube: a video's views on consecutive trending days of a region), for the {@code
 * views_monotonic} quality rule.
 *
 * <p>In: {@link BuildPartitions#MEASURES}, one (day, measure) per row, keyed by {@link #key}. Out:
 * one {@link RunTally} per group holding only {@link QualityStats#ofSteps}. A key's days span
 * partitions, so this takes its own shuffle: it is applied only when a rule asks for it, and it
 * carries two numbers a row, not the row.
 */
public final class CountDecreases
    extends PTransform<PCollection<KV<String, KV<Integer, Long>>>, PCollection<RunTally>> {
  private static final char SEPARATOR = '\n';

  /** The grouping key of one key of one group. */
  public static String key(String group, String key) {
    return group + SEPARATOR + key;
  }

  @Override
  public PCollection<RunTally> expand(PCollection<KV<String, KV<Integer, Long>>> measures) {
    return measures
        .apply("GroupByKeyAndGroup", GroupByKey.create())
        .apply("StepsPerKey", ParDo.of(new StepsFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(long[].class)))
        .apply("StepsPerGroup", Combine.perKey(CountDecreases::sum))
        .apply("AsTally", ParDo.of(new TallyFn()))
        .setCoder(RunTallyCoder.of());
  }

  /** The steps and decreases of one key's days, in day order. */
  static long[] steps(List<KV<Integer, Long>> days) {
    List<KV<Integer, Long>> sorted = new ArrayList<>(days);
    sorted.sort((a, b) -> Integer.compare(a.getKey(), b.getKey()));
    long steps = 0;
    long decreases = 0;
    for (int i = 1; i < sorted.size(); i++) {
      steps++;
      if (sorted.get(i).getValue() < sorted.get(i - 1).getValue()) {
        decreases++;
      }
    }
    return new long[] {steps, decreases};
  }

  private static long[] sum(Iterable<long[]> parts) {
    long[] out = new long[2];
    for (long[] p : parts) {
      out[0] += p[0];
      out[1] += p[1];
    }
    return out;
  }

  static final class StepsFn
      extends DoFn<KV<String, Iterable<KV<Integer, Long>>>, KV<String, long[]>> {
    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<Integer, Long>>> e,
        OutputReceiver<KV<String, long[]>> out) {
      List<KV<Integer, Long>> days = new ArrayList<>();
      e.getValue().forEach(days::add);
      if (days.size() > 1) {
        String group = e.getKey().substring(0, e.getKey().indexOf(SEPARATOR));
        out.output(KV.of(group, steps(days)));
      }
    }
  }

  static final class TallyFn extends DoFn<KV<String, long[]>, RunTally> {
    @ProcessElement
    public void process(@Element KV<String, long[]> e, OutputReceiver<RunTally> out) {
      out.output(
          RunTally.builder()
              .quality(e.getKey(), QualityStats.ofSteps(e.getValue()[0], e.getValue()[1]))
              .build());
    }
  }
}
