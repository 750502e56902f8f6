package dev.trendlake.pipeline.continuous;

import dev.trendlake.pipeline.commit.CategorySnapshot;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The category side input of a continuous job, the slowly-updating global-window pattern: each
 * {@link CategorySnapshot} the watcher's listings produce fires a pane of the global window, and
 * the side input becomes the title map of the newest snapshot (by generation, so two snapshots in
 * one pane can't be taken in the wrong order). The parse step ({@code ReadStatistics}) joins with
 * it as in batch, and waits for the first snapshot, which the watcher emits on its first poll. The
 * commit joins again with the snapshot it commits, so a row read just before a change still gets
 * the titles committed with it.
 */
public final class CategoryTitles
    extends PTransform<PCollection<CategorySnapshot>, PCollectionView<Map<String, String>>> {

  @Override
  public PCollectionView<Map<String, String>> expand(PCollection<CategorySnapshot> snapshots) {
    return snapshots
        .apply(
            "TitlesOfSnapshot",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.longs(),
                        TypeDescriptors.maps(TypeDescriptors.strings(), TypeDescriptors.strings())))
                .via((CategorySnapshot s) -> KV.of(s.generation(), s.titles())))
        .setCoder(KvCoder.of(VarLongCoder.of(), titlesCoder()))
        .apply(
            "EverySnapshot",
            Window.<KV<Long, Map<String, String>>>into(new GlobalWindows())
                .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                .discardingFiredPanes())
        .apply("Newest", Combine.globally(new Newest()).withoutDefaults())
        .setCoder(titlesCoder())
        // the global window's last pane, when the job ends, is empty: it reads as no titles
        .apply("AsSideInput", View.<Map<String, String>>asSingleton().withDefaultValue(Map.of()));
  }

  private static MapCoder<String, String> titlesCoder() {
    return MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
  }

  /** Keeps the titles of the highest generation. */
  static final class Newest
      extends Combine.CombineFn<
          KV<Long, Map<String, String>>, KV<Long, Map<String, String>>, Map<String, String>> {
    @Override
    public KV<Long, Map<String, String>> createAccumulator() {
      return null;
    }

    @Override
    public KV<Long, Map<String, String>> addInput(
        KV<Long, Map<String, String>> acc, KV<Long, Map<String, String>> in) {
      return acc == null || in.getKey() > acc.getKey() ? in : acc;
    }

    @Override
    public KV<Long, Map<String, String>> mergeAccumulators(
        Iterable<KV<Long, Map<String, String>>> accs) {
      KV<Long, Map<String, String>> best = null;
      for (KV<Long, Map<String, String>> a : accs) {
        if (a != null) {
          best = addInput(best, a);
        }
      }
      return best;
    }

    @Override
    public Map<String, String> extractOutput(KV<Long, Map<String, String>> acc) {
      return acc == null ? Map.of() : acc.getValue();
    }

    @Override
    public Coder<KV<Long, Map<String, String>>> getAccumulatorCoder(
        CoderRegistry r, Coder<KV<Long, Map<String, String>>> in) {
      return NullableCoder.of(KvCoder.of(VarLongCoder.of(), titlesCoder()));
    }
  }
}
