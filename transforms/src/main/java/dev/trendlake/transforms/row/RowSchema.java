package dev.trendlake.transforms.row;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An ordered list of {@link Col columns}: the one definition of a table from which its Parquet
 * schemas (silver and gold), its coder, the Glue column check, the warehouse staging lists and the
 * manifest's schema section are derived. Silver holds the {@code DATA} and {@code LINEAGE} columns,
 * gold the {@code DATA} and {@code JOINED} ones, each in definition order; {@code PARTITION}
 * columns live in the path.
 *
 * <p>Made once, in a static initialiser, with {@link #builder(String)}; immutable afterwards.
 */
public final class RowSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final List<Col<?>> cols;
  private final Set<String> plain;

  private RowSchema(String name, List<Col<?>> cols, Set<String> plain) {
    this.name = name;
    this.cols = List.copyOf(cols);
    this.plain = Set.copyOf(plain);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public List<Col<?>> cols() {
    return cols;
  }

  public int size() {
    return cols.size();
  }

  /**
   * Columns whose values are unique within a partition (an id, a link per row): a Parquet
   * dictionary there only costs hashing, so files store them plain.
   */
  public Set<String> plainColumns() {
    return plain;
  }

  public List<Col<?>> partitionCols() {
    return withRoles(Col.Role.PARTITION);
  }

  /** Silver's file columns: data then lineage, in definition order. */
  public List<Col<?>> silverCols() {
    return withRoles(Col.Role.DATA, Col.Role.LINEAGE);
  }

  /** Gold's file columns: data and joined, in definition order. */
  public List<Col<?>> goldCols() {
    return withRoles(Col.Role.DATA, Col.Role.JOINED);
  }

  /** A new row of this schema, filled column by column (all null until set). */
  public RowBuilder row() {
    return new RowBuilder(cols.size());
  }

  public Optional<Col<?>> col(String colName) {
    return cols.stream().filter(c -> c.name().equals(colName)).findFirst();
  }

  private List<Col<?>> withRoles(Col.Role... roles) {
    List<Col<?>> out = new ArrayList<>();
    for (Col<?> c : cols) {
      for (Col.Role r : roles) {
        if (c.role() == r) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /** The Hive-style partition of a row: {@code name=value/name=value}, dates as yyyy-mm-dd. */
  public String partitionPath(Row row) {
    StringBuilder sb = new StringBuilder();
    for (Col<?> c : cols) {
      if (c.role() != Col.Role.PARTITION) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(c.name()).append('=').append(text(c, row.value(c.index())));
    }
    return sb.toString();
  }

  /**
   * The partition columns' values of a Hive-style partition path ({@link #partitionPath}'s
   * inverse), in a row whose other values are null.
   *
   * @throws IllegalArgumentException when the path does not name every partition column
   */
  public Row partitionValues(String path) {
    Object[] v = new Object[cols.size()];
    java.util.Map<String, String> byName = new java.util.HashMap<>();
    for (String part : path.split("/")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        byName.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    for (Col<?> c : partitionCols()) {
      String text = byName.get(c.name());
      if (text == null) {
        throw new IllegalArgumentException(path + " has no " + c.name() + "= part");
      }
      v[c.index()] =
          switch (c.type()) {
            case DATE -> (int) LocalDate.parse(text).toEpochDay();
            case INT64 -> Long.parseLong(text);
            default -> text;
          };
    }
    return new Row(v, 0);
  }

  /** A value as partition paths and messages show it. */
  public static String text(Col<?> c, Object v) {
    if (v == null) {
      return "null";
    }
    return c.type() == ValueType.DATE ? LocalDate.ofEpochDay((Integer) v).toString() : v.toString();
  }

  @Override
  public String toString() {
    return name + cols;
  }

  /** Adds columns in order; each adder returns the typed column. */
  public static final class Builder {
    private final String name;
    private final List<Col<?>> cols = new ArrayList<>();
    private final Set<String> plain = new TreeSet<>();

    private Builder(String name) {
      this.name = name;
    }

    private <T> Col<T> add(String colName, ValueType type, boolean nullable, Col.Role role) {
      for (Col<?> c : cols) {
        if (c.name().equals(colName)) {
          throw new IllegalArgumentException("column " + colName + " defined twice in " + name);
        }
      }
      Col<T> c = new Col<>(colName, type, nullable, role, cols.size());
      cols.add(c);
      return c;
    }

    public Col<String> string(String colName, boolean nullable, Col.Role role) {
      return add(colName, ValueType.STRING, nullable, role);
    }

    public Col<Long> int64(String colName, boolean nullable, Col.Role role) {
      return add(colName, ValueType.INT64, nullable, role);
    }

    public Col<Double> float64(String colName, boolean nullable, Col.Role role) {
      return add(colName, ValueType.FLOAT64, nullable, role);
    }

    public Col<Boolean> bool(String colName, boolean nullable, Col.Role role) {
      return add(colName, ValueType.BOOLEAN, nullable, role);
    }

    public Col<Long> timestampMicros(String colName, boolean nullable, Col.Role role) {
      return add(colName, ValueType.TIMESTAMP_MICROS, nullable, role);
    }

    public Col<Integer> date(String colName, boolean nullable, Col.Role role) {
      return add(colName, ValueType.DATE, nullable, role);
    }

    public Col<List<String>> stringList(String colName, Col.Role role) {
      return add(colName, ValueType.STRING_LIST, false, role);
    }

    public Col<List<Long>> int64List(String colName, Col.Role role) {
      return add(colName, ValueType.INT64_LIST, false, role);
    }

    /** A list whose entries may be null ({@link ValueType#STRING_LIST_NULLABLE_ENTRIES}). */
    public Col<List<String>> stringListWithNulls(String colName, Col.Role role) {
      return add(colName, ValueType.STRING_LIST_NULLABLE_ENTRIES, false, role);
    }

    /** Marks columns unique within a partition: stored without a dictionary. */
    public Builder plain(Col<?>... unique) {
      for (Col<?> c : unique) {
        plain.add(c.name());
      }
      return this;
    }

    public RowSchema build() {
      return new RowSchema(name, cols, plain);
    }
  }
}
