package dev.trendlake.pipeline.commit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.trendlake.pipeline.io.WriteQuarantine;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.PartitionTally;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.Test;

/**
 * The commit of incremental runs as a pure function: the lake state after a merge, a retraction and
 * a full run, each file reconciled over all partitions, and what the commit removes.
 */
public class CommitStepTest {
  private static final Dataset YT = YouTubeDataset.INSTANCE;

  private static final String P1 = "region=us/trending_date=2017-11-14";
  private static final String P2 = "region=us/trending_date=2017-11-15";

  private static PartitionTally part(long rows, Object... fileKeptDup) {
    TreeMap<String, PartitionTally.FileRows> files = new TreeMap<>();
    for (int i = 0; i < fileKeptDup.length; i += 3) {
      files.put(
          (String) fileKeptDup[i],
          new PartitionTally.FileRows((Integer) fileKeptDup[i + 1], (Integer) fileKeptDup[i + 2]));
    }
    return new PartitionTally("us", rows, 0, files);
  }

  private static FileTally read(String path, long records) {
    return new FileTally.Builder(path, "statistics")
        .region("us")
        .read(100, "mtime:1")
        .records(records)
        .build();
  }

  /** One committed file a.csv: 3 records, all kept in P1. */
  private static LakeState oneFile() {
    return new LakeState(
        new TreeMap<>(Map.of("a.csv", read("a.csv", 3))),
        new TreeMap<>(Map.of(P1, part(3, "a.csv", 3, 0))),
        new TreeMap<>());
  }

  private static Increment incremental(LakeState s, Set<String> dropped, Set<String> rebuild) {
    TreeMap<String, String> processed = new TreeMap<>();
    s.files().keySet().stream()
        .filter(f -> !dropped.contains(f))
        .forEach(f -> processed.put(f, "t"));
    return new Increment(
        false,
        s,
        processed,
        new TreeSet<>(dropped),
        new TreeSet<>(rebuild),
        new TreeSet<>(),
        new TreeSet<>());
  }

  @Test
  public void aBetterCopyFromANewFileCountsAsADuplicateOfTheOldFileAndEveryFileReconciles() {
    // b.csv brings 2 rows to P1; one replaces a better copy of one of a.csv's rows
    RunTally.Builder run = RunTally.builder();
    run.file("b.csv", "statistics").add(read("b.csv", 2));
    run.file("b.csv", "statistics").silver(2);
    run.file("a.csv", "statistics").silver(2).duplicates(1);
    run.region("us", new RegionTally(4, 4, 0, 0));
    run.partition(P1, part(4, "a.csv", 2, 1, "b.csv", 2, 0));
    CommitStep step = CommitStep.of(run.build(), incremental(oneFile(), Set.of(), Set.of()), YT);

    assertEquals(List.of(), step.problems());
    Map<String, FileTally> files = step.after().filesWithCounts();
    assertEquals(2, files.get("a.csv").silver());
    assertEquals(1, files.get("a.csv").duplicates());
    assertEquals(2, files.get("b.csv").silver());
    assertEquals(Set.of(P1), step.after().partitions().keySet());
    assertEquals(4, step.after().regions().get("us").silver());
    // b's quarantine file is rewritten (or removed when it has none), a's is not touched
    assertEquals(Set.of(WriteQuarantine.mainFile(YT, "us", "b.csv")), step.removeFiles());
    assertTrue(step.removedPartitions().isEmpty());
  }

  @Test
  public void aRetractedFileLeavesTheStateAndAPartitionLeftWithoutRowsIsRemoved() {
    LakeState before =
        new LakeState(
            new TreeMap<>(Map.of("a.csv", read("a.csv", 3), "c.csv", read("c.csv", 1))),
            new TreeMap<>(Map.of(P1, part(3, "a.csv", 3, 0), P2, part(1, "c.csv", 1, 0))),
            new TreeMap<>());
    // a.csv is gone: P1 held only its rows, so nothing is written for P1
    CommitStep step =
        CommitStep.of(
            RunTally.builder().build(), incremental(before, Set.of("a.csv"), Set.of(P1)), YT);

    assertEquals(List.of(), step.problems());
    assertEquals(Set.of("c.csv"), step.after().files().keySet());
    assertEquals(Set.of(P2), step.after().partitions().keySet());
    assertEquals(Set.of(P1), step.removedPartitions());
    assertTrue(step.removeFiles().contains(WriteQuarantine.mainFile(YT, "us", "a.csv")));
  }

  @Test
  public void aShareThatDoesNotAddUpIsNamedBeforeAnythingIsCommitted() {
    // a deliberately wrong partition tally: a.csv's row counted twice
    RunTally.Builder run = RunTally.builder();
    run.file("b.csv", "statistics").add(read("b.csv", 1));
    run.file("b.csv", "statistics").silver(1);
    run.file("a.csv", "statistics").silver(3).duplicates(1);
    run.region("us", new RegionTally(4, 4, 0, 0));
    run.partition(P1, part(4, "a.csv", 3, 1, "b.csv", 1, 0));
    CommitStep step = CommitStep.of(run.build(), incremental(oneFile(), Set.of(), Set.of()), YT);

    assertEquals(
        List.of("a.csv: records 3 != silver 3 + quarantined 0 + duplicates 1"), step.problems());
  }

  @Test
  public void aFullRunKeepsNothingOfTheEarlierStateAndReplacesEveryPartitionFolder() {
    RunTally.Builder run = RunTally.builder();
    run.file("c.csv", "statistics").add(read("c.csv", 1));
    run.file("c.csv", "statistics").silver(1);
    run.region("us", new RegionTally(1, 1, 0, 0));
    run.partition(P2, part(1, "c.csv", 1, 0));
    CommitStep step = CommitStep.of(run.build(), Increment.full(oneFile()), YT);

    assertEquals(List.of(), step.problems());
    assertEquals(Set.of("c.csv"), step.after().files().keySet());
    assertEquals(Set.of(P2), step.after().partitions().keySet());
    assertEquals(Set.of(P1), step.removedPartitions());
    assertEquals("parquet", step.run().plan().replaced().get("silver/statistics/**"));
    assertEquals("parquet", step.run().plan().replaced().get("gold/trending/**"));
  }
}
