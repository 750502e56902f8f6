package dev.trendlake.transforms.row;

/** Fills a {@link Row} column by column ({@link RowSchema#row()}); for parsers and tests. */
public final class RowBuilder {
  private final Object[] values;

  RowBuilder(int size) {
    this.values = new Object[size];
  }

  public <T> RowBuilder set(Col<T> c, T value) {
    values[c.index()] = value;
    return this;
  }

  /** The row; the builder must not be used afterwards. */
  public Row build(int sourceBytes) {
    return new Row(values, sourceBytes);
  }
}
