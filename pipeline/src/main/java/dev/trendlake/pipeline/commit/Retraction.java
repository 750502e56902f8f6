package dev.trendlake.pipeline.commit;

import dev.trendlake.transforms.BronzePaths;
import dev.trendlake.transforms.ReadStatistics;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * What a continuous commit retracts ({@code --reprocess=changed}): processed files that changed
 * (their new version is among the commit's files) or are gone from bronze leave the lake's state,
 * and every partition that held their rows is rebuilt from its other source files, read again from
 * bronze for those partitions only, so a row that had lost the dedupe to a retracted one comes back
 * exactly as a batch run keeps it. The same plan as an incremental run's ({@link Increment}), made
 * inside the job because the files arrive while it runs.
 *
 * <p>A rebuild reads the other files as bronze holds them now, so they must still be the versions
 * the state recorded: when one of them changed too (or is gone) and its own new version is not in
 * this commit, the retraction waits ({@link #waitsFor}) until it is, rather than mix two versions;
 * a file read again must also give the records and quarantine the state recorded for it, or it was
 * rewritten between the listing and the read, and the retraction waits too.
 *
 * @param dropped files that leave the state
 * @param rebuild partitions rebuilt from their other source files
 * @param rebuildFiles the files read again for them
 * @param rows the rows read again, by partition (only the rebuilt partitions)
 * @param waitsFor files to read again that no longer match the state: nothing is retracted yet
 */
record Retraction(
    SortedSet<String> dropped,
    SortedSet<String> rebuild,
    SortedSet<String> rebuildFiles,
    Map<String, List<Row>> rows,
    SortedSet<String> waitsFor) {

  /** Bronze's statistics files now, by path relative to the bronze root. */
  interface Bronze {
    Map<String, MatchResult.Metadata> statistics() throws IOException;
  }

  static final Retraction NONE =
      new Retraction(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), Map.of(), new TreeSet<>());

  boolean isEmpty() {
    return dropped.isEmpty();
  }

  /**
   * The retraction of {@code dropped} from {@code state}: the partitions to rebuild, and their
   * other files' rows read again from bronze (not joined with categories).
   */
  static Retraction of(LakeState state, SortedSet<String> dropped, String bronzeRoot, Bronze bronze)
      throws IOException {
    if (dropped.isEmpty()) {
      return NONE;
    }
    Increment.RebuildPlan plan = Increment.rebuildOf(state, dropped);
    SortedSet<String> rebuild = plan.partitions();
    SortedSet<String> files = plan.files();
    Map<String, MatchResult.Metadata> now = files.isEmpty() ? Map.of() : bronze.statistics();
    TreeSet<String> waits = new TreeSet<>();
    for (String f : files) {
      FileTally was = state.files().get(f);
      MatchResult.Metadata m = now.get(f);
      if (was == null || m == null || !BronzePaths.changeToken(m).equals(was.token())) {
        waits.add(f);
      }
    }
    if (!waits.isEmpty()) {
      return new Retraction(new TreeSet<>(dropped), rebuild, files, Map.of(), waits);
    }
    TreeMap<String, List<Row>> rows = new TreeMap<>();
    for (String f : files) {
      RunTally[] read = new RunTally[1];
      ReadStatistics.readFile(
          bronzeRoot,
          now.get(f),
          null,
          new ReadStatistics.FileSink() {
            @Override
            public void rows(String partition, List<Row> batch) {
              if (rebuild.contains(partition)) {
                rows.computeIfAbsent(partition, k -> new ArrayList<>()).addAll(batch);
              }
            }

            @Override
            public void reject(Rejected r) {
              // the state holds its quarantine unchanged
            }

            @Override
            public void tally(RunTally t) {
              read[0] = t;
            }
          });
      // rewritten between the listing and the read: not the version the state holds
      FileTally was = state.files().get(f);
      FileTally got = read[0] == null ? null : read[0].files().get(f);
      if (got == null
          || got.records() != was.records()
          || !got.quarantined().equals(was.quarantined())) {
        waits.add(f);
      }
    }
    if (!waits.isEmpty()) {
      return new Retraction(new TreeSet<>(dropped), rebuild, files, Map.of(), waits);
    }
    return new Retraction(new TreeSet<>(dropped), rebuild, files, rows, new TreeSet<>());
  }
}
