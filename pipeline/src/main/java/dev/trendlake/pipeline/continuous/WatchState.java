package dev.trendlake.pipeline.continuous;

import java.io.Serializable;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the bronze watcher remembers between polls, checkpointed with the job as the restriction of
 * its splittable DoFn ({@link WatchBronze}). Bounded by the work in flight, not by the files ever
 * seen: a file is remembered from the poll that emits it until the lake's committed state ({@code
 * _manifests/latest.json}) holds it, and from then on that state is what says it was processed.
 * Beam's own {@code Watch} (behind {@code FileIO.match().continuously}) instead keeps a hash of
 * every file it ever emitted, for the life of the job.
 *
 * @param inFlight statistics files emitted and not yet committed: path (relative to the bronze
 *     root) to the change token they had when emitted
 * @param categories the category listing last emitted (path to change token), or null before the
 *     first poll
 * @param generation how many category listings were emitted: the newest one wins downstream
 * @param reported processed files that changed since, already reported (so each is logged once)
 * @param lastNewMillis the last poll that emitted a file or a category change, or still had work in
 *     flight: {@code stopWhenIdle} counts from there
 * @param done the watch has ended (idle or drained): nothing more is emitted
 */
record WatchState(
    SortedMap<String, String> inFlight,
    SortedMap<String, String> categories,
    long generation,
    SortedMap<String, String> reported,
    long lastNewMillis,
    boolean done)
    implements Serializable {

  WatchState {
    inFlight = Collections.unmodifiableSortedMap(new TreeMap<>(inFlight));
    categories =
        categories == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(categories));
    reported = Collections.unmodifiableSortedMap(new TreeMap<>(reported));
  }

  static WatchState start(long nowMillis) {
    return new WatchState(new TreeMap<>(), null, 0, new TreeMap<>(), nowMillis, false);
  }

  WatchState finished() {
    return new WatchState(inFlight, categories, generation, reported, lastNewMillis, true);
  }
}
