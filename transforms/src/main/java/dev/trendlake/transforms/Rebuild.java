package dev.trendlake.transforms;

import java.io.Serializable;
import java.util.Set;
import java.util.TreeSet;

/**
 * Files read again only to rebuild some partitions (an incremental run retracting another file's
 * rows): their rows outside those partitions, their rejects and their tallies are dropped, since
 * the committed state already holds them unchanged.
 */
public record Rebuild(Set<String> files, Set<String> partitions) implements Serializable {
  public static final Rebuild NONE = new Rebuild(Set.of(), Set.of());

  public Rebuild {
    files = new TreeSet<>(files);
    partitions = new TreeSet<>(partitions);
  }

  /** The partitions a file's rows may go to: null for all of them (a file read as new). */
  public Set<String> onlyPartitions(String file) {
    return files.contains(file) ? partitions : null;
  }
}
