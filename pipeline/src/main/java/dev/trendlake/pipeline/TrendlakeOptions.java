package dev.trendlake.pipeline;

import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.pipeline.warehouse.WarehouseOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The options of a trendlake run. Beam's own options (--runner, --parallelism, ...) come on top.
 * Every path is a Beam file system path: a local folder or {@code s3://bucket/prefix}. Options per
 * concern: {@link S3StoreOptions} (Beam's S3 options and trendlake's), {@link WarehouseOptions},
 * {@link MetricsOptions}.
 */
public interface TrendlakeOptions extends S3StoreOptions, WarehouseOptions, MetricsOptions {

  @Description(
      "Bronze root to read: a local folder or s3://bucket/prefix holding"
          + " raw_statistics/region=<xx>/**.csv and "
          + "raw_statistics_reference_data/**/<XX>_category_id.json.")
  @Default.String("testdata/bronze")
  String getInput();

  void setInput(String value);

  @Description(
      "Output root: a local folder or s3://bucket/prefix. The run writes silver/, gold/,"
          + " quarantine/ and _manifests/ under it and replaces the partitions it writes.")
  @Default.String("lake")
  String getOutput();

  void setOutput(String value);

  @Description(
      "Roll a partition over to a new Parquet file after this many megabytes of source CSV (default"
          + " 256, which gives files of roughly 60-100 MB after snappy).")
  @Default.Integer(256)
  int getMaxFileMegabytes();

  void setMaxFileMegabytes(int value);

  @Description(
      "Identifier of this run, used for the manifest and the staging folder (default: UTC time +"
          + " random).")
  String getRunId();

  void setRunId(String value);
}
