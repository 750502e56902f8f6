package dev.trendlake.pipeline.commit;

import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The events a continuous commit ({@link WaveCommit}) collected, indexed by file and lineage
 * ({@code source_file}, {@code source_line}): a row or reject delivered twice counts once, and what
 * a commit leaves is turned back into events for the next one.
 */
final class PendingEvents {
  final Map<String, RunTally> tallies = new TreeMap<>();
  final Map<String, FileTally> reads = new TreeMap<>();
  final Map<String, Map<Long, Row>> rows = new TreeMap<>();
  final Map<String, Map<Long, Rejected>> rejected = new TreeMap<>();

  /** Processed files gone from bronze, to retract. */
  final Set<String> retracted = new TreeSet<>();

  static PendingEvents of(List<CommitEvent> events) {
    PendingEvents p = new PendingEvents();
    for (CommitEvent e : events) {
      switch (e.kind()) {
        case ROWS -> {
          for (Row r : e.rows()) {
            p.rows
                .computeIfAbsent(r.get(TrendingColumns.SOURCE_FILE), k -> new TreeMap<>())
                .putIfAbsent(r.get(TrendingColumns.SOURCE_LINE), r);
          }
        }
        case REJECTED ->
            p.rejected
                .computeIfAbsent(e.rejected().sourceFile(), k -> new TreeMap<>())
                .putIfAbsent(e.rejected().line(), e.rejected());
        case FILE_READ -> {
          for (FileTally f : e.tally().files().values()) {
            if (f.read() && !p.reads.containsKey(f.path())) {
              p.reads.put(f.path(), f);
              p.tallies.put(f.path(), e.tally());
            }
          }
        }
        case RETRACTED -> p.retracted.add(e.retracted());
        case CATEGORIES -> {
          // the committer keeps the newest snapshot apart
        }
      }
    }
    return p;
  }

  /** The files some event (other than a retraction) is about. */
  Set<String> files() {
    TreeSet<String> out = new TreeSet<>(reads.keySet());
    out.addAll(rows.keySet());
    out.addAll(rejected.keySet());
    return out;
  }

  /** Forgets every event of these files; returns how many rows and rejects went. */
  long drop(Set<String> files) {
    long n = 0;
    for (String f : files) {
      reads.remove(f);
      tallies.remove(f);
      Map<Long, Row> r = rows.remove(f);
      Map<Long, Rejected> x = rejected.remove(f);
      n += (r == null ? 0 : r.size()) + (x == null ? 0 : x.size());
    }
    return n;
  }

  /**
   * Forgets the retractions of these files (they were committed); a retraction outlives {@link
   * #drop}, which forgets a file's rows delivered again.
   */
  void retracted(Set<String> files) {
    retracted.removeAll(files);
  }

  /** What is left, as events again, one per file's tally, rows and rejects. */
  List<CommitEvent> remainingEvents() {
    List<CommitEvent> out = new ArrayList<>();
    tallies.values().forEach(t -> out.add(CommitEvent.fileRead(t)));
    rows.values()
        .forEach(
            byLine -> {
              List<Row> list = new ArrayList<>(byLine.values());
              out.add(CommitEvent.rows(TrendingColumns.SCHEMA.partitionPath(list.get(0)), list));
            });
    rejected
        .values()
        .forEach(byLine -> byLine.values().forEach(r -> out.add(CommitEvent.rejected(r))));
    retracted.forEach(f -> out.add(CommitEvent.retracted(f)));
    return out;
  }
}
