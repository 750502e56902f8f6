package dev.trendlake.transforms.tally;

import java.io.Serializable;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a run's commit does, as data: each staged file and the final name it is moved to, and each
 * output folder the run replaces, with the file extension it owns there (files of that extension
 * the run did not write are removed from the folder after the moves). Steps that write add their
 * part; the commit step merges them.
 *
 * @param staged staging path to final path
 * @param replaced final folder (relative to the output root) to the extension it owns
 */
public record CommitPlan(SortedMap<String, String> staged, SortedMap<String, String> replaced)
    implements Serializable {

  public static final CommitPlan EMPTY = new CommitPlan(new TreeMap<>(), new TreeMap<>());

  public CommitPlan {
    staged = Collections.unmodifiableSortedMap(new TreeMap<>(staged));
    replaced = Collections.unmodifiableSortedMap(new TreeMap<>(replaced));
  }

  public boolean isEmpty() {
    return staged.isEmpty() && replaced.isEmpty();
  }

  public CommitPlan plus(CommitPlan o) {
    TreeMap<String, String> s = new TreeMap<>(staged);
    s.putAll(o.staged);
    TreeMap<String, String> r = new TreeMap<>(replaced);
    r.putAll(o.replaced);
    return new CommitPlan(s, r);
  }
}
