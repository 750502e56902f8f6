package dev.trendlake.pipeline.continuous;

import dev.trendlake.pipeline.commit.LakeState;
import dev.trendlake.pipeline.commit.ManifestStore;
import dev.trendlake.pipeline.io.BronzeLister;
import dev.trendlake.pipeline.io.BronzeMetadataCoder;
import dev.trendlake.pipeline.io.MatchFiles;
import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.transforms.BronzePaths;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.tally.FileTally;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimators;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bronze folder, watched: every {@code watchInterval} the statistics and category folders are
 * listed, as a batch run lists them ({@link BronzeLister}), and compared with the lake's committed
 * state ({@code _manifests/latest.json}, re-read when it changed) and with the files already
 * emitted and not yet committed ({@link WatchState}).
 *
 * <p>Out: {@link #NEW_FILES}, each statistics file not processed before, once; {@link
 * #CATEGORY_LISTINGS}, the whole category listing whenever it differs from the last one emitted
 * (and once at start, so the category side input and the committer have a snapshot before the first
 * row); {@link #RETRACTED}, with {@code --reprocess=changed}, each processed statistics file gone
 * from bronze, once. A processed file that changed since follows {@code --reprocess} as in an
 * incremental run: with {@code changed}, its new version is emitted as a new file and the commit
 * retracts the old one's rows (a file gone is emitted under {@link #RETRACTED}); without it, the
 * file is logged once and counted ({@code changed_files_left}, {@code gone_files_left}) and the
 * lake keeps the rows of the version it read. A file that changes while in flight waits for the
 * commit of the version read, then counts as changed. A local file is taken once its modification
 * time is {@link #SETTLE} old, so a copy still being written is not read half; objects on S3 appear
 * whole.
 *
 * <p>Why a splittable DoFn of its own and not {@code FileIO.match().continuously()}: Beam's {@code
 * Watch} keeps a hash of every file it ever emitted in its state, for the life of the job, and it
 * can only stop on conditions it sees itself. This watcher's state holds only the files in flight
 * (the lake's state is the record of what was processed), and it ends when the job may end: with
 * {@code stopWhenIdle}, or when asked to drain ({@link DrainSignal}), only once everything it
 * emitted is committed, so a job never stops with half its work done.
 */
public final class WatchBronze extends PTransform<PBegin, PCollectionTuple> {
  private static final Logger LOG = LoggerFactory.getLogger(WatchBronze.class);

  public static final TupleTag<MatchResult.Metadata> NEW_FILES = new TupleTag<>() {};
  public static final TupleTag<CategoryListing> CATEGORY_LISTINGS = new TupleTag<>() {};
  public static final TupleTag<String> RETRACTED = new TupleTag<>() {};

  /** The in-flight token of a processed file gone from bronze, retracted by a commit. */
  static final String GONE = "gone";

  /** How old a local file's modification time must be before it is read. */
  static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(1);

  static final String STATISTICS = "raw_statistics";
  static final String CATEGORIES = "raw_statistics_reference_data";

  private final String input;
  private final String output;
  private final java.time.Duration interval;
  private final java.time.Duration stopWhenIdle;
  private final boolean loads;
  private final boolean reprocess;

  /**
   * @param stopWhenIdle end once idle this long with nothing in flight; null: run until drained
   * @param loads the commits load a warehouse: the watch ends only once the last load is done
   * @param reprocess {@code --reprocess=changed}: processed files that changed are read again, and
   *     those gone are retracted
   */
  public WatchBronze(
      String input,
      String output,
      java.time.Duration interval,
      java.time.Duration stopWhenIdle,
      boolean loads,
      boolean reprocess) {
    this.input = input;
    this.output = output;
    this.interval = interval;
    this.stopWhenIdle = stopWhenIdle;
    this.loads = loads;
    this.reprocess = reprocess;
  }

  @Override
  public PCollectionTuple expand(PBegin p) {
    PCollectionTuple out =
        p.apply("Start", Impulse.create())
            .apply(
                "BronzeRoot", MapElements.into(TypeDescriptors.strings()).via((byte[] b) -> input))
            .apply(
                "ListEveryInterval",
                ParDo.of(new WatchFn(input, output, interval, stopWhenIdle, loads, reprocess))
                    .withOutputTags(NEW_FILES, TupleTagList.of(CATEGORY_LISTINGS).and(RETRACTED)));
    out.get(NEW_FILES).setCoder(BronzeMetadataCoder.of());
    out.get(RETRACTED).setCoder(StringUtf8Coder.of());
    out.get(CATEGORY_LISTINGS).setCoder(CategoryListingCoder.of());
    return out;
  }

  @DoFn.UnboundedPerElement
  static final class WatchFn extends DoFn<String, MatchResult.Metadata> {
    private final String input;
    private final String output;
    private final java.time.Duration interval;
    private final java.time.Duration stopWhenIdle;
    private final boolean loads;
    private final boolean reprocess;
    private final Counter emitted = Metrics.counter(WatchBronze.class, "files_emitted");
    private final Counter retractions = Metrics.counter(WatchBronze.class, "files_retracted");
    private final Counter changed = Metrics.counter(WatchBronze.class, "changed_files_left");
    private final Counter gone = Metrics.counter(WatchBronze.class, "gone_files_left");
    private final Counter polls = Metrics.counter(WatchBronze.class, "polls");
    private final Counter skipped = Metrics.counter(WatchBronze.class, "entries_skipped");
    private transient BronzeLister lister;
    private transient CommittedState committed;
    private transient Map<String, String> skippedReported;

    WatchFn(
        String input,
        String output,
        java.time.Duration interval,
        java.time.Duration idle,
        boolean loads,
        boolean reprocess) {
      this.input = input;
      this.output = output;
      this.interval = interval;
      this.stopWhenIdle = idle;
      this.loads = loads;
      this.reprocess = reprocess;
    }

    @GetInitialRestriction
    public WatchState initial() {
      return WatchState.start(System.currentTimeMillis());
    }

    @NewTracker
    public WatchTracker tracker(@Restriction WatchState state) {
      return new WatchTracker(state);
    }

    @GetRestrictionCoder
    public org.apache.beam.sdk.coders.Coder<WatchState> restrictionCoder() {
      return SerializableCoder.of(WatchState.class);
    }

    @GetInitialWatermarkEstimatorState
    public Instant initialWatermark(@Timestamp Instant start) {
      return start;
    }

    @NewWatermarkEstimator
    public WatermarkEstimators.WallTime watermark(@WatermarkEstimatorState Instant state) {
      return new WatermarkEstimators.WallTime(state);
    }

    @Setup
    public void setup() {
      committed = new CommittedState(output);
    }

    @Teardown
    public void teardown() {
      if (lister != null) {
        lister.close();
      }
    }

    @ProcessElement
    public ProcessContinuation process(
        RestrictionTracker<WatchState, WatchState> tracker,
        PipelineOptions options,
        MultiOutputReceiver out)
        throws IOException {
      if (lister == null) {
        lister = new BronzeLister(options);
      }
      WatchState before = tracker.currentRestriction();
      Poll poll = poll(before, System.currentTimeMillis());
      polls.inc();
      if (!tracker.tryClaim(poll.after)) {
        return ProcessContinuation.stop();
      }
      Instant now = Instant.now();
      for (MatchResult.Metadata f : poll.newFiles) {
        emitted.inc();
        out.get(NEW_FILES).outputWithTimestamp(f, now);
      }
      for (String path : poll.retracted) {
        retractions.inc();
        out.get(RETRACTED).outputWithTimestamp(path, now);
      }
      if (poll.categories != null) {
        out.get(CATEGORY_LISTINGS).outputWithTimestamp(poll.categories, now);
      }
      if (poll.after.done()) {
        LOG.info("The bronze watch ends: {}", poll.why);
        WatchEnded.record(output, poll.why);
        return ProcessContinuation.stop();
      }
      return ProcessContinuation.resume().withResumeDelay(Duration.millis(interval.toMillis()));
    }

    /** What one poll found and the state after it. */
    private record Poll(
        WatchState after,
        List<MatchResult.Metadata> newFiles,
        List<String> retracted,
        CategoryListing categories,
        String why) {}

    private Poll poll(WatchState s, long now) throws IOException {
      LakeState lake = committed.get();
      MatchFiles.Listing statsListing = lister.list(input, STATISTICS, "csv");
      MatchFiles.Listing catsListing = lister.list(input, CATEGORIES, "json");
      reportSkipped(statsListing.skipped());
      reportSkipped(catsListing.skipped());
      List<MatchResult.Metadata> stats = statsListing.files();
      List<MatchResult.Metadata> cats = catsListing.files();
      boolean drain = DrainSignal.requested(output);
      TreeMap<String, String> inFlight = new TreeMap<>(s.inFlight());
      // committed since: the lake's state now says they were processed (or retracted); without
      // --reprocess, a new version of a processed file (in flight in a savepoint of a job that had
      // it) is one the commit drops, as the lake keeps the version it read
      inFlight
          .entrySet()
          .removeIf(
              e ->
                  GONE.equals(e.getValue())
                      ? !lake.files().containsKey(e.getKey())
                      : sameToken(lake.files().get(e.getKey()), e.getValue())
                          || (!reprocess && lake.files().containsKey(e.getKey())));
      TreeMap<String, String> reported = new TreeMap<>(s.reported());
      List<MatchResult.Metadata> fresh = new ArrayList<>();
      boolean settling = false;
      long lastNew = s.lastNewMillis();
      // a drain still takes in what a retraction in flight may wait for: new versions, gone files
      boolean busy = !inFlight.isEmpty();
      java.util.Set<String> present = new java.util.HashSet<>();
      for (MatchResult.Metadata m : stats) {
        String path = BronzePaths.relativize(input, m.resourceId().toString());
        String token = BronzePaths.changeToken(m);
        present.add(path);
        FileTally done = lake.files().get(path);
        if (sameToken(done, token) || token.equals(inFlight.get(path))) {
          continue;
        }
        if (inFlight.containsKey(path) || (done != null && !reprocess)) {
          if (!token.equals(reported.put(path, token))) {
            changed.inc();
            LOG.warn(
                inFlight.containsKey(path)
                    ? "{} changed while it was being read ({} then, {} now); its new version is"
                        + (reprocess
                            ? " read once the version read is committed."
                            : " not read: the lake keeps the rows of the version read.")
                    : "{} changed after it was read ({} then, {} now); the lake keeps the rows of"
                        + " the version read. To take new versions in, run the job with"
                        + " --reprocess=changed.",
                path,
                done != null && !inFlight.containsKey(path) ? done.token() : inFlight.get(path),
                token);
          }
          continue;
        }
        if (!settled(m, now)) {
          settling = true;
          continue;
        }
        if (!drain || (busy && done != null)) {
          fresh.add(m);
          inFlight.put(path, token);
          lastNew = now;
        }
      }
      List<String> retracted = new ArrayList<>();
      for (FileTally f : lake.files().values()) {
        String path = f.path();
        if (!Rejected.STATISTICS.equals(f.kind())
            || present.contains(path)
            || GONE.equals(inFlight.get(path))) {
          continue;
        }
        if (!reprocess || inFlight.containsKey(path)) {
          if (!GONE.equals(reported.put(path, GONE))) {
            gone.inc();
            LOG.warn(
                "{} was processed and is gone from bronze; the lake keeps its rows.{}",
                path,
                reprocess ? "" : " To retract them, run the job with --reprocess=changed.");
          }
          continue;
        }
        if (!drain || busy) {
          retracted.add(path);
          inFlight.put(path, GONE);
          lastNew = now;
        }
      }
      TreeMap<String, String> listed = new TreeMap<>();
      for (MatchResult.Metadata m : cats) {
        settling |= !settled(m, now);
        listed.put(
            BronzePaths.relativize(input, m.resourceId().toString()), BronzePaths.changeToken(m));
      }
      CategoryListing categories = null;
      TreeMap<String, String> emittedCategories =
          s.categories() == null ? null : new TreeMap<>(s.categories());
      long generation = s.generation();
      boolean categoriesSettled = cats.stream().allMatch(m -> settled(m, now));
      if (!drain && categoriesSettled && !listed.equals(emittedCategories)) {
        generation++;
        categories = new CategoryListing(generation, List.copyOf(cats));
        if (emittedCategories != null) {
          lastNew = now;
        }
        emittedCategories = listed;
      }
      boolean categoriesInFlight =
          emittedCategories != null && !emittedCategories.equals(lake.tokens(Rejected.CATEGORIES));
      if (!inFlight.isEmpty() || categoriesInFlight || (settling && !drain)) {
        lastNew = now; // busy: the idle time counts from when everything was committed
      }
      WatchState after =
          new WatchState(inFlight, emittedCategories, generation, reported, lastNew, false);
      // a commit's warehouse load follows its latest.json: the watch ends only after the load
      boolean idle =
          inFlight.isEmpty()
              && !categoriesInFlight
              && (drain || !settling)
              && fresh.isEmpty()
              && retracted.isEmpty()
              && !(loads && ManifestStore.loadPending(output).isPresent());
      String why = null;
      if (idle && drain) {
        why = "asked to stop, and everything read is committed";
      } else if (idle && stopWhenIdle != null && now - lastNew >= stopWhenIdle.toMillis()) {
        why = "nothing new for " + stopWhenIdle + " since everything read was committed";
      }
      return new Poll(why == null ? after : after.finished(), fresh, retracted, categories, why);
    }

    /**
     * Bronze entries the listing does not read (the batch listing's reasons: not a .csv, a link out
     * of the root, unreadable, ...), each logged once per worker with its reason and counted.
     */
    private void reportSkipped(Map<String, String> entries) {
      if (skippedReported == null) {
        skippedReported = new HashMap<>();
      }
      entries.forEach(
          (path, reason) -> {
            if (!reason.equals(skippedReported.put(path, reason))) {
              skipped.inc();
              LOG.warn("Bronze entry {} is not read: {}", path, reason);
            }
          });
    }

    private static boolean sameToken(FileTally f, String token) {
      return f != null && token.equals(f.token());
    }

    private static boolean settled(MatchResult.Metadata m, long now) {
      return !StorePaths.isLocal(m.resourceId().toString())
          || m.lastModifiedMillis() <= now - SETTLE.toMillis();
    }
  }
}
