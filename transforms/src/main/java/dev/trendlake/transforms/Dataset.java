package dev.trendlake.transforms;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import java.io.Serializable;

/**
 * What the shared steps need to know of a dataset's main table: its columns, its lineage columns,
 * the group its counts are kept by, and its dedupe rule (which rows are the same thing, which of
 * them wins, in which order the survivors are written). Everything else about a dataset (how its
 * bronze is parsed and cleaned, its side input) stays in its own transforms.
 */
public interface Dataset extends Serializable {

  RowSchema schema();

  /** The lineage column naming the source file, relative to the bronze root. */
  Col<String> sourceFile();

  /** The lineage column holding the 1-based line (or position) of the source record. */
  Col<Long> sourceLine();

  /** The group counts are kept by in the manifest (YouTube: the region). */
  String group(Row row);

  /** Rows of one partition with the same key are duplicates; one survives. */
  String dedupeKey(Row row);

  /** Negative when {@code a} is the better of two duplicates. */
  int compareBest(Row a, Row b);

  /** Negative when {@code a} is written before {@code b} in its partition's files. */
  int compareOutput(Row a, Row b);

  /** True when the row's side-input join found nothing (counted per group). */
  boolean joinMissed(Row row);

  /** The row's day (days since 1970-01-01), for the freshness rule (YouTube: trending date). */
  int day(Row row);

  /**
   * A count that should only grow from one day to the next for the same {@link #dedupeKey} within a
   * group, for the monotonic rule (YouTube: views).
   */
  long growingMeasure(Row row);
}
