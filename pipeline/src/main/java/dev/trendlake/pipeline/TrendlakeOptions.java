package dev.trendlake.pipeline;

import dev.trendlake.pipeline.s3.S3StoreOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The options of a trendlake run. Beam's own options (--runner, --parallelism, ...) come on top.
 * Every path is a Beam file system path: a local folder or {@code s3://bucket/prefix}; the S3
 * options (Beam's and trendlake's) come from {@link S3StoreOptions}.
 */
public interface TrendlakeOptions extends S3StoreOptions {

  @Description(
      "Bronze root to read: a local folder or s3://bucket/prefix holding raw_statistics/region=<xx>/**.csv and "
          + "raw_statistics_reference_data/**/<XX>_category_id.json.")
  @Default.String("testdata/bronze")
  String getInput();

  void setInput(String value);

  @Description(
      "Output root: a local folder or s3://bucket/prefix. The run writes silver/, gold/, quarantine/ and "
          + "_manifests/ under it and replaces the partitions it writes.")
  @Default.String("lake")
  String getOutput();

  void setOutput(String value);

  @Description("Warehouse to load after gold is written: none (the only value until the warehouse is built).")
  @Default.String("none")
  String getWarehouse();

  void setWarehouse(String value);

  @Description(
      "Roll a partition over to a new Parquet file after this many megabytes of source CSV (default 256, which "
          + "gives files of roughly 60-100 MB after snappy).")
  @Default.Integer(256)
  int getMaxFileMegabytes();

  void setMaxFileMegabytes(int value);

  @Description("Identifier of this run, used for the manifest and the staging folder (default: UTC time + random).")
  String getRunId();

  void setRunId(String value);
}
