package dev.trendlake.transforms.row;

/**
 * The value types a column may hold, and the Java type of each value: everything that encodes,
 * writes or loads a row (coders, Parquet, warehouse staging) switches on this, so a new column of a
 * known type needs no code anywhere but its definition.
 */
public enum ValueType {
  /** {@link String}, UTF-8 in files. */
  STRING,
  /** {@link Long}. */
  INT64,
  /** {@link Double}. */
  FLOAT64,
  /** {@link Boolean}. */
  BOOLEAN,
  /** {@link Long}: microseconds since the epoch, UTC. */
  TIMESTAMP_MICROS,
  /** {@link Integer}: days since 1970-01-01. */
  DATE,
  /** An unmodifiable {@code List<String>}, never null (empty instead). */
  STRING_LIST,
  /** An unmodifiable {@code List<Long>}, never null (empty instead). */
  INT64_LIST,
  /**
   * An unmodifiable {@code List<String>}, never null itself, whose entries may be null: a lookup
   * per entry that found nothing keeps its place, so the list still lines up with the one it was
   * looked up from.
   */
  STRING_LIST_NULLABLE_ENTRIES
}
