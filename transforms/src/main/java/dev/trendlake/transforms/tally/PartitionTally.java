package dev.trendlake.transforms.tally;

import java.io.Serializable;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one output partition holds after a run wrote it: its rows, the rows whose side-input join
 * found nothing, and per source file how many of its rows the partition kept and how many lost to a
 * better duplicate. Summed over all partitions of the lake, these give every file's silver and
 * duplicate counts, so a partition rewritten by a later run replaces its own share and nothing
 * else; a file's rows that lost in an earlier run are carried into the rewrite ({@code
 * duplicates}), since they are not in silver to be counted again.
 *
 * @param group the group the partition's counts are kept by (YouTube: the region)
 * @param rows rows written; 0 for a partition that has none left (all retracted): it is removed
 */
public record PartitionTally(
    String group, long rows, long unknown, SortedMap<String, FileRows> files)
    implements Serializable {

  /** One source file's share of a partition. */
  public record FileRows(long kept, long duplicates) implements Serializable {
    public FileRows plus(FileRows o) {
      return new FileRows(kept + o.kept, duplicates + o.duplicates);
    }
  }

  public PartitionTally {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }
}
