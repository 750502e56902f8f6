package dev.trendlake.pipeline.commit;

import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The events a continuous commit ({@link WaveCommit}) collected, indexed by file version (path and
 * change token) and, within a version, by lineage ({@code source_line}): a row or reject delivered
 * twice counts once, rows of two versions of one file never mix, and what a commit leaves is turned
 * back into events for the next one.
 */
final class PendingEvents {
  /** One version of a statistics file: its path relative to the bronze root and change token. */
  record Version(String file, String token) implements Comparable<Version> {
    private static final Comparator<Version> ORDER =
        Comparator.comparing(Version::file).thenComparing(Version::token);

    @Override
    public int compareTo(Version o) {
      return ORDER.compare(this, o);
    }
  }

  final Map<Version, RunTally> tallies = new TreeMap<>();
  final Map<Version, FileTally> reads = new TreeMap<>();
  final Map<Version, Map<Long, Row>> rows = new TreeMap<>();
  final Map<Version, Map<Long, Rejected>> rejected = new TreeMap<>();

  /** Processed files gone from bronze, to retract. */
  final Set<String> retracted = new TreeSet<>();

  static PendingEvents of(List<CommitEvent> events) {
    PendingEvents p = new PendingEvents();
    for (CommitEvent e : events) {
      switch (e.kind()) {
        case ROWS -> {
          for (Row r : e.rows()) {
            p.rows
                .computeIfAbsent(
                    new Version(r.get(TrendingColumns.SOURCE_FILE), e.token()),
                    k -> new TreeMap<>())
                .putIfAbsent(r.get(TrendingColumns.SOURCE_LINE), r);
          }
        }
        case REJECTED ->
            p.rejected
                .computeIfAbsent(
                    new Version(e.rejected().sourceFile(), e.token()), k -> new TreeMap<>())
                .putIfAbsent(e.rejected().line(), e.rejected());
        case FILE_READ -> {
          for (FileTally f : e.tally().files().values()) {
            Version v = new Version(f.path(), f.token());
            if (f.read() && !p.reads.containsKey(v)) {
              p.reads.put(v, f);
              p.tallies.put(v, e.tally());
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

  /** The file versions some event (other than a retraction) is about. */
  Set<Version> versions() {
    TreeSet<Version> out = new TreeSet<>(reads.keySet());
    out.addAll(rows.keySet());
    out.addAll(rejected.keySet());
    return out;
  }

  /**
   * The versions whose tally, rows and rejects are all here ({@code records == rows + rejected}),
   * one per file (a restore can't give two complete ones, but they must never mix), by file.
   *
   * @throws IllegalStateException when more rows or rejects came than a tally has records
   */
  TreeMap<String, Version> complete() {
    TreeMap<String, Version> byFile = new TreeMap<>();
    for (Map.Entry<Version, FileTally> e : reads.entrySet()) {
      FileTally t = e.getValue();
      long quarantined = t.quarantinedTotal();
      long rowCount = rows.getOrDefault(e.getKey(), Map.of()).size();
      long rejectCount = rejected.getOrDefault(e.getKey(), Map.of()).size();
      if (rowCount > t.records() - quarantined || rejectCount > quarantined) {
        throw new IllegalStateException(
            e.getKey().file()
                + " ("
                + e.getKey().token()
                + "): more rows ("
                + rowCount
                + ") or rejects ("
                + rejectCount
                + ") arrived than its tally has records ("
                + t.records()
                + ", "
                + quarantined
                + " quarantined); nothing was committed");
      }
      if (rowCount == t.records() - quarantined && rejectCount == quarantined) {
        byFile.putIfAbsent(e.getKey().file(), e.getKey());
      }
    }
    return byFile;
  }

  /** Forgets every event of these versions; returns how many rows and rejects went. */
  long drop(Set<Version> versions) {
    long n = 0;
    for (Version v : versions) {
      reads.remove(v);
      tallies.remove(v);
      Map<Long, Row> r = rows.remove(v);
      Map<Long, Rejected> x = rejected.remove(v);
      n += (r == null ? 0 : r.size()) + (x == null ? 0 : x.size());
    }
    return n;
  }

  /** The versions of these files some event is about. */
  Set<Version> versionsOf(Set<String> files) {
    TreeSet<Version> of = new TreeSet<>();
    for (Version v : versions()) {
      if (files.contains(v.file())) {
        of.add(v);
      }
    }
    return of;
  }

  /**
   * Forgets the retractions of these files (they were committed); a retraction outlives {@link
   * #drop}, which forgets a file's rows delivered again.
   */
  void retracted(Set<String> files) {
    retracted.removeAll(files);
  }

  /** What is left, as events again, one per version's tally, rows and rejects. */
  List<CommitEvent> remainingEvents() {
    List<CommitEvent> out = new ArrayList<>();
    tallies.values().forEach(t -> out.add(CommitEvent.fileRead(t)));
    rows.forEach(
        (v, byLine) -> {
          List<Row> list = new ArrayList<>(byLine.values());
          out.add(
              CommitEvent.rows(TrendingColumns.SCHEMA.partitionPath(list.get(0)), v.token(), list));
        });
    rejected.forEach(
        (v, byLine) -> byLine.values().forEach(r -> out.add(CommitEvent.rejected(v.token(), r))));
    retracted.forEach(f -> out.add(CommitEvent.retracted(f)));
    return out;
  }
}
