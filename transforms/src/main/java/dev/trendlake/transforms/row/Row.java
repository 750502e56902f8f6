package dev.trendlake.transforms.row;

import java.util.Arrays;
import java.util.List;

/**
 * One immutable row of a {@link RowSchema}: a value per column (typed by its {@link Col}), and the
 * size of the source record in bytes, which the writer's file sizing counts (the record's bytes
 * themselves stay behind: carried through the shuffle they were most of its volume). A row knows
 * nothing of its schema; every operation that needs one takes it, so rows stay small in a shuffle.
 */
public final class Row {
  private final Object[] values;
  private final int sourceBytes;

  /** Takes ownership of {@code values}: the caller must not change the array afterwards. */
  public Row(Object[] values, int sourceBytes) {
    this.values = values;
    this.sourceBytes = sourceBytes;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Col<T> c) {
    return (T) values[c.index()];
  }

  /** The value at {@code index}, for code that walks a schema's columns. */
  public Object value(int index) {
    return values[index];
  }

  public int size() {
    return values.length;
  }

  public int sourceBytes() {
    return sourceBytes;
  }

  /** A copy with one value replaced. */
  public <T> Row with(Col<T> c, T value) {
    Object[] v = values.clone();
    v[c.index()] = value;
    return new Row(v, sourceBytes);
  }

  /** The values as a list, for tests and messages. */
  public List<Object> values() {
    return Arrays.asList(values.clone());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row r && sourceBytes == r.sourceBytes && Arrays.equals(values, r.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Row" + Arrays.toString(values);
  }
}
