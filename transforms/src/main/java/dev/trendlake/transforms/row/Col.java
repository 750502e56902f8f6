package dev.trendlake.transforms.row;

import java.io.Serializable;

/**
 * One column of a {@link RowSchema}: its name (as in Parquet, Glue and the warehouse), value type,
 * whether null is allowed, and its role, which says where the column lives:
 *
 * <ul>
 *   <li>{@link Role#PARTITION}: only in the Hive-style path ({@code region=us/...}), as Spark,
 *       awswrangler and Athena expect;
 *   <li>{@link Role#DATA}: in silver and gold;
 *   <li>{@link Role#JOINED}: in gold only, from the side input;
 *   <li>{@link Role#LINEAGE}: in silver only ({@code source_file}, {@code source_line}).
 * </ul>
 *
 * @param <T> the Java type of the values (see {@link ValueType})
 */
public final class Col<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where a column is stored. */
  public enum Role {
    PARTITION,
    DATA,
    JOINED,
    LINEAGE
  }

  private final String name;
  private final ValueType type;
  private final boolean nullable;
  private final Role role;
  private final int index;

  Col(String name, ValueType type, boolean nullable, Role role, int index) {
    this.name = name;
    this.type = type;
    this.nullable = nullable;
    this.role = role;
    this.index = index;
  }

  public String name() {
    return name;
  }

  public ValueType type() {
    return type;
  }

  public boolean nullable() {
    return nullable;
  }

  public Role role() {
    return role;
  }

  /** The position of this column's value in a row of its schema. */
  public int index() {
    return index;
  }

  @Override
  public String toString() {
    return name + " " + type + (nullable ? "" : " not null") + " (" + role + ")";
  }
}
