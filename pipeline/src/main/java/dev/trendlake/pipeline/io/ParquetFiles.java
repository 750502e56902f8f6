package dev.trendlake.pipeline.io;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Opens Parquet writers with the settings every trendlake file uses: snappy, dictionary encoding
 * (except for the two columns unique per row; Parquet drops a dictionary that does not pay), 1 MiB
 * pages, and standard three-level lists (the old two-level form that parquet-avro writes by default
 * confuses Athena and Spark readers of {@code tags}).
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  /** A Hadoop configuration without default resources: cheap, and enough for the writer. */
  public static Configuration configuration() {
    Configuration conf = new Configuration(false);
    conf.setBoolean("parquet.avro.write-old-list-structure", false);
    conf.setBoolean("parquet.avro.add-list-element-records", false);
    return conf;
  }

  public static ParquetWriter<GenericRecord> open(String path, Schema schema, Configuration conf)
      throws IOException {
    return AvroParquetWriter.<GenericRecord>builder(
            new ChannelOutputFile(FileSystems.matchNewResource(path, false)))
        .withSchema(schema)
        .withConf(conf)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withDictionaryEncoding(true)
        // unique per row once a partition is deduplicated (both carry the video id): a dictionary
        // there only costs hashing. Titles and descriptions repeat across videos (a channel's
        // boilerplate, a series' episodes): Parquet keeps their dictionary while it pays and falls
        // back to plain pages when it does not, as Spark's writer does (gold 647 -> ~380 MB at 1M).
        .withDictionaryEncoding("video_id", false)
        .withDictionaryEncoding("thumbnail_link", false)
        .withPageSize(1 << 20)
        .withRowGroupSize(128L << 20)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }
}
