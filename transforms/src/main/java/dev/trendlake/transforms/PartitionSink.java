package dev.trendlake.transforms;

import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.io.Serializable;

/**
 * Writes one finished partition (deduplicated, joined) somewhere. Implemented at the IO edge (the
 * pipeline module's Parquet writer) and handed to {@link BuildPartitions}, so this module holds no
 * IO configuration.
 */
public interface PartitionSink extends Serializable {

  /** Called once per DoFn instance before the first partition: open expensive things here. */
  default void setup() {}

  /**
   * Writes {@code partition} and returns what it wrote (staged files, folders replaced, rows per
   * group). Must be idempotent: a retried bundle writes the same partition again.
   */
  RunTally write(Partition partition) throws IOException;
}
