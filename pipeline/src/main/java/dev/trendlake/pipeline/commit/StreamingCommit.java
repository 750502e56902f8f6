package dev.trendlake.pipeline.commit;

import dev.trendlake.pipeline.FailPoint;
import dev.trendlake.pipeline.io.BronzeLister;
import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
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
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit step of a continuous job: one writer for the whole lake, since every commit reads and
 * replaces {@code latest.json}. All events go to one key; its state holds what is not committed yet
 * (rows whose partition's wait is over, rejects, file tallies) and the newest category snapshot,
 * both checkpointed with the job. Shortly after events come ({@link #SETTLE}, so the partitions of
 * one file, released within moments of each other, make one commit), a processing-time timer makes
 * a {@link WaveCommit} of everything complete; what is not complete stays for the next one. The
 * partitions' writing happens here too, one commit at a time, which bounds a job's throughput by
 * one worker's (docs/flink.md says when to run a batch first).
 *
 * <p>Out: the id of each commit made.
 */
public final class StreamingCommit
    extends PTransform<PCollection<CommitEvent>, PCollection<String>> {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingCommit.class);

  /** How long the committer waits after an event for the others of the same moment. */
  static final Duration SETTLE = Duration.standardSeconds(1);

  private final WaveCommit.Settings settings;

  public StreamingCommit(WaveCommit.Settings settings) {
    this.settings = settings;
  }

  @Override
  public PCollection<String> expand(PCollection<CommitEvent> events) {
    return events
        .apply(
            "ToTheOneWriter",
            WithKeys.<String, CommitEvent>of("lake").withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), CommitEvent.Coder.of()))
        .apply("CommitWhatIsComplete", ParDo.of(new CommitFn(settings)))
        .setCoder(StringUtf8Coder.of());
  }

  static final class CommitFn extends DoFn<KV<String, CommitEvent>, String> {
    private final WaveCommit.Settings settings;
    private final Counter commits = Metrics.counter(StreamingCommit.class, "commits");
    private final Counter files = Metrics.counter(StreamingCommit.class, "files_committed");
    private final Counter partitions =
        Metrics.counter(StreamingCommit.class, "partitions_rewritten");
    private final Counter redelivered =
        Metrics.counter(StreamingCommit.class, "redelivered_records_dropped");
    private transient WaveCommit wave;
    private transient BronzeLister bronze;

    @StateId("pending")
    private final StateSpec<BagState<CommitEvent>> pendingSpec =
        StateSpecs.bag(CommitEvent.Coder.of());

    @StateId("snapshot")
    private final StateSpec<ValueState<CategorySnapshot>> snapshotSpec =
        StateSpecs.value(NullableCoder.of(CategorySnapshot.Coder.of()));

    @StateId("armed")
    private final StateSpec<ValueState<Boolean>> armedSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("commit")
    private final TimerSpec commitSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    CommitFn(WaveCommit.Settings settings) {
      this.settings = settings;
    }

    @Setup
    public void setup() {
      wave = new WaveCommit(settings);
    }

    @Teardown
    public void teardown() {
      if (wave != null) {
        wave.close();
        wave = null;
      }
      if (bronze != null) {
        bronze.close();
        bronze = null;
      }
    }

    @ProcessElement
    public void process(
        @Element KV<String, CommitEvent> e,
        @StateId("pending") BagState<CommitEvent> pending,
        @StateId("snapshot") ValueState<CategorySnapshot> snapshot,
        @StateId("armed") ValueState<Boolean> armed,
        @TimerId("commit") Timer commit) {
      CommitEvent event = e.getValue();
      if (event.kind() == CommitEvent.Kind.CATEGORIES) {
        CategorySnapshot had = snapshot.read();
        if (had == null || event.snapshot().generation() > had.generation()) {
          snapshot.write(event.snapshot());
        }
      } else {
        pending.add(event);
      }
      if (armed.read() == null) {
        commit.offset(SETTLE).setRelative();
        armed.write(true);
      }
    }

    @OnTimer("commit")
    public void onCommit(
        @StateId("pending") BagState<CommitEvent> pending,
        @StateId("snapshot") ValueState<CategorySnapshot> snapshot,
        @StateId("armed") ValueState<Boolean> armed,
        PipelineOptions options,
        OutputReceiver<String> out)
        throws java.io.IOException {
      armed.clear();
      CategorySnapshot categories = snapshot.read();
      if (categories == null) {
        return; // the watcher's first listing is on its way: its arrival sets the timer again
      }
      List<CommitEvent> events = new ArrayList<>();
      pending.read().forEach(events::add);
      if (bronze == null) {
        bronze = new BronzeLister(options);
      }
      String input = settings.job().input();
      WaveCommit.Outcome o =
          wave.attempt(
              events,
              categories,
              () ->
                  bronze.byPath(
                      input,
                      YouTubeDataset.INSTANCE.mainFolder(),
                      YouTubeDataset.INSTANCE.mainExtension()));
      pending.clear();
      o.remaining().forEach(pending::add);
      redelivered.inc(o.redelivered());
      if (o.redelivered() > 0) {
        LOG.info(
            "Dropped {} record(s) delivered again of files already committed (after a restart), or"
                + " of another version of a file the lake keeps as read (no --reprocess=changed)",
            o.redelivered());
      }
      if (o.committed() != null) {
        commits.inc();
        files.inc(o.committed().files().size());
        partitions.inc(o.committed().partitions().size());
        if (!o.committed().partitions().isEmpty()) {
          FailPoint.once(FailPoint.AFTER_COMMIT);
        }
        out.output(o.committed().commitId());
      }
    }
  }
}
