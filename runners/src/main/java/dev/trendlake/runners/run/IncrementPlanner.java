package dev.trendlake.runners.run;

import dev.trendlake.pipeline.commit.Increment;
import dev.trendlake.pipeline.commit.LakeState;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.SideTable;
import dev.trendlake.transforms.tally.FileTally;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides at launch what a run reads and rewrites ({@link Increment}), by comparing the bronze
 * listing with the committed state: new statistics files are read; processed files that changed or
 * disappeared stop the run before any work unless {@code --reprocess=changed} says to retract their
 * rows and read their new versions; regions whose category files changed get their gold joined
 * again.
 */
final class IncrementPlanner {
  private IncrementPlanner() {}

  /** The decision: what the graph does, and how much it reads. */
  record Plan(Increment increment, long filesToRead, long bytesToRead, List<String> refusal) {
    boolean refused() {
      return !refusal.isEmpty();
    }

    /** True when an incremental run has nothing to read, retract or join again. */
    boolean nothingToDo() {
      Increment i = increment;
      return !i.full() && filesToRead == 0 && i.dropped().isEmpty() && i.regions().isEmpty();
    }
  }

  static Plan plan(
      LakeState state,
      BronzeListing listing,
      boolean full,
      boolean reprocessChanged,
      Dataset dataset) {
    SideTable side = dataset.side();
    if (full || state.isEmpty()) {
      return new Plan(
          Increment.full(state), listing.statistics().size(), listing.bytes(), List.of());
    }
    TreeMap<String, String> processed = new TreeMap<>();
    TreeSet<String> changed = new TreeSet<>();
    TreeSet<String> gone = new TreeSet<>();
    List<String> lines = new ArrayList<>();
    TreeSet<String> regions = new TreeSet<>();
    for (FileTally f : state.files().values()) {
      boolean statistics = !side.kind().equals(f.kind());
      BronzeListing.Listed now =
          (statistics ? listing.statistics() : listing.categories()).get(f.path());
      boolean same = now != null && now.size() == f.size() && now.token().equals(f.token());
      if (!statistics) {
        String region = sideGroup(side, f.path(), f.region());
        if (!same && region != null) {
          regions.add(region);
        }
        continue;
      }
      if (same) {
        processed.put(f.path(), f.token());
      } else if (now == null) {
        gone.add(f.path());
        lines.add("gone     " + f.path());
      } else {
        changed.add(f.path());
        lines.add(
            "changed  "
                + f.path()
                + (now.size() == f.size()
                    ? " (same size, rewritten since: " + f.token() + " -> " + now.token() + ")"
                    : " (" + f.size() + " bytes when processed, " + now.size() + " now)"));
      }
    }
    for (String path : listing.categories().keySet()) {
      String region = sideGroup(side, path, null);
      if (!state.files().containsKey(path) && region != null) {
        regions.add(region);
      }
    }
    if (!lines.isEmpty() && !reprocessChanged) {
      return new Plan(Increment.full(state), 0, 0, lines);
    }
    TreeSet<String> dropped = new TreeSet<>(changed);
    dropped.addAll(gone);
    Increment.RebuildPlan rebuildPlan = Increment.rebuildOf(state, dropped);
    SortedSet<String> rebuild = rebuildPlan.partitions();
    SortedSet<String> rebuildFiles = rebuildPlan.files();
    long files = 0;
    long bytes = 0;
    for (Map.Entry<String, BronzeListing.Listed> e : listing.statistics().entrySet()) {
      if (!processed.containsKey(e.getKey()) || rebuildFiles.contains(e.getKey())) {
        files++;
        bytes += e.getValue().size();
      }
    }
    Increment inc = new Increment(false, state, processed, dropped, rebuild, rebuildFiles, regions);
    return new Plan(inc, files, bytes, List.of());
  }

  /** The group whose partitions a changed side file's rows are joined into. */
  private static String sideGroup(SideTable side, String path, String recorded) {
    String r = side.fileGroup(path);
    return r != null ? r : recorded;
  }

  /** Why the run refused, naming each file and the two ways on. */
  static String refusalMessage(Plan plan, String input) {
    return "trendlake: "
        + plan.refusal().size()
        + " bronze file(s) under "
        + input
        + " changed or disappeared after an earlier run processed them, so their rows in the"
        + " lake no longer match bronze and the run did not start:\n  "
        + String.join("\n  ", plan.refusal())
        + "\nRun again with --reprocess=changed to retract their rows and read what is there now,"
        + " or with --mode=full to recompute the whole lake.";
  }

  /** The one line of a run that found nothing to do. */
  static String nothingNewLine(Plan plan, BronzeListing listing, String input, Dataset dataset) {
    return "trendlake: nothing new under "
        + input
        + ": all "
        + listing.statistics().size()
        + " "
        + dataset.mainKind()
        + " file(s) were processed before and no "
        + dataset.side().kind()
        + " file changed; nothing was"
        + " read or rewritten.";
  }
}
