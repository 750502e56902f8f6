package dev.trendlake.transforms.row;

import java.util.List;

/**
 * All deduplicated rows of one output partition, in output order, so that every runner writes
 * byte-identical files.
 *
 * @param path the Hive-style partition, e.g. {@code region=us/trending_date=2017-11-14}
 * @param group the group its counts are kept by (YouTube: the region)
 */
public record Partition(String path, String group, List<Row> rows) {
  public Partition {
    rows = List.copyOf(rows);
  }
}
