package dev.trendlake.pipeline.warehouse;

import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.RunTally;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Loads the dataset's star schema ({@link Star}) from the run's gold partitions, after the run has
 * committed.
 *
 * <pre>
 *  finished ─ PrepareWarehouse (schema if absent, run staging tables) ─┐
 *  gold ─ Wait.on(prepared) ─ StagePartitions (delete batch ids, COPY) ─ Sum ─ Wait.on ─ MergeStarSchema ─► result
 *  side rows ─ View.asList, finished ─ View.asSingleton ──────────────────────────────────────┘ (side inputs)
 * </pre>
 *
 * <p>In: gold partitions, the side rows (YouTube: categories, deduplicated per region and id; TMDB:
 * genres) and the {@code finished} signal of {@code FinishRun}, which exists only once gold is
 * committed, so the warehouse never holds rows the lake does not. Out: one {@link
 * WarehouseLoader.MergeResult}. Every step is idempotent (see {@link WarehouseLoader}), so retried
 * bundles and repeated runs never duplicate a row. A failure after its retries fails the run with a
 * {@link WarehouseException}; gold stays committed and the next run completes the load.
 */
public final class LoadWarehouse
    extends PTransform<PCollection<Partition>, PCollection<WarehouseLoader.MergeResult>> {
  private static final long FLUSH_ROWS = 50_000;

  private final WarehouseTarget target;
  private final Star star;
  private final String runId;
  private final String goldRoot;
  private final PCollection<Row> categories;
  private final PCollection<RunTally> finished;

  /**
   * @param goldRoot the committed gold folder ({@code <output>/gold/trending}); read by Redshift
   *     COPY loads only
   * @param categories the side rows, as the star's side table takes them
   */
  public LoadWarehouse(
      WarehouseTarget target,
      Star star,
      String runId,
      String goldRoot,
      PCollection<Row> categories,
      PCollection<RunTally> finished) {
    this.target = target;
    this.star = star;
    this.runId = runId;
    this.goldRoot = goldRoot;
    this.categories = categories;
    this.finished = finished;
  }

  @Override
  public PCollection<WarehouseLoader.MergeResult> expand(PCollection<Partition> gold) {
    PCollection<String> prepared =
        finished
            .apply("PrepareWarehouse", ParDo.of(new PrepareFn(target, star, runId)))
            .setCoder(StringUtf8Coder.of());
    PCollection<Long> staged =
        gold.apply("AfterGoldCommitted", Wait.on(prepared))
            .setCoder(gold.getCoder())
            .apply("StagePartitions", ParDo.of(new StageFn(target, star, runId, goldRoot)))
            .setCoder(VarLongCoder.of());
    PCollectionView<List<Row>> cats = categories.apply("CategoriesView", View.asList());
    PCollectionView<RunTally> committed = finished.apply("CommittedView", View.asSingleton());
    return staged
        .apply("CountStaged", Sum.longsGlobally())
        .apply("AfterPrepared", Wait.on(prepared))
        .setCoder(VarLongCoder.of())
        .apply(
            "MergeStarSchema",
            ParDo.of(new MergeFn(target, star, runId, cats, committed))
                .withSideInputs(cats, committed))
        .setCoder(SerializableCoder.of(WarehouseLoader.MergeResult.class));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    b.add(DisplayData.item("warehouse", target.describe()))
        .add(DisplayData.item("dataset", star.dataset().name()))
        .add(DisplayData.item("schema", target.schema()))
        .add(DisplayData.item("load", target.load().name()));
  }

  static final class PrepareFn extends DoFn<RunTally, String> {
    private final WarehouseTarget target;
    private final Star star;
    private final String runId;

    PrepareFn(WarehouseTarget target, Star star, String runId) {
      this.target = target;
      this.star = star;
      this.runId = runId;
    }

    @ProcessElement
    public void process(OutputReceiver<String> out) {
      try (WarehouseLoader loader = new WarehouseLoader(target, star, runId)) {
        loader.prepare();
      }
      out.output(runId);
    }
  }

  /**
   * Buffers whole partitions and stages them in batches of about {@value #FLUSH_ROWS} rows, one
   * transaction each. Emits each partition's row count; if a flush fails, the bundle fails and its
   * counts are discarded with it, and the retry deletes and re-stages the same batch ids.
   */
  static final class StageFn extends DoFn<Partition, Long> {
    private final WarehouseTarget target;
    private final Star star;
    private final String runId;
    private final String goldRoot;
    private final Counter rowsStaged = Metrics.counter(LoadWarehouse.class, "rows_staged");
    private final Counter partitionsStaged =
        Metrics.counter(LoadWarehouse.class, "partitions_staged");
    private transient WarehouseLoader loader;
    private transient List<Partition> buffer;
    private transient long buffered;

    StageFn(WarehouseTarget target, Star star, String runId, String goldRoot) {
      this.target = target;
      this.star = star;
      this.runId = runId;
      this.goldRoot = goldRoot;
    }

    @Setup
    public void setup() {
      loader = new WarehouseLoader(target, star, runId);
    }

    @StartBundle
    public void startBundle() {
      buffer = new ArrayList<>();
      buffered = 0;
    }

    @ProcessElement
    public void process(@Element Partition p, OutputReceiver<Long> out) {
      buffer.add(p);
      buffered += p.rows().size();
      out.output((long) p.rows().size());
      if (buffered >= FLUSH_ROWS) {
        flush();
      }
    }

    @FinishBundle
    public void finishBundle() {
      flush();
    }

    private void flush() {
      if (buffer.isEmpty()) {
        return;
      }
      long rows =
          target.load() == WarehouseTarget.LoadMethod.COPY
              ? loader.stageFromS3(goldRoot, buffer)
              : loader.stage(buffer);
      rowsStaged.inc(rows);
      partitionsStaged.inc(buffer.size());
      buffer = new ArrayList<>();
      buffered = 0;
    }

    @Teardown
    public void teardown() {
      if (loader != null) {
        loader.close();
      }
    }
  }

  static final class MergeFn extends DoFn<Long, WarehouseLoader.MergeResult> {
    private final WarehouseTarget target;
    private final Star star;
    private final String runId;
    private final PCollectionView<List<Row>> categories;
    private final PCollectionView<RunTally> committed;

    MergeFn(
        WarehouseTarget target,
        Star star,
        String runId,
        PCollectionView<List<Row>> categories,
        PCollectionView<RunTally> committed) {
      this.target = target;
      this.star = star;
      this.runId = runId;
      this.categories = categories;
      this.committed = committed;
    }

    @ProcessElement
    public void process(@Element Long staged, ProcessContext c) {
      try (WarehouseLoader loader = new WarehouseLoader(target, star, runId)) {
        // the partitions the commit removed: in its tally with no rows
        List<String> removed = new ArrayList<>();
        c.sideInput(committed)
            .partitions()
            .forEach(
                (path, p) -> {
                  if (p.rows() == 0) {
                    removed.add(path);
                  }
                });
        WarehouseLoader.MergeResult r = loader.merge(staged, c.sideInput(categories), removed);
        for (Map.Entry<String, Long> e : r.merged().entrySet()) {
          Metrics.counter(LoadWarehouse.class, "merged_" + e.getKey()).inc(e.getValue());
        }
        c.output(r);
      }
    }
  }
}
