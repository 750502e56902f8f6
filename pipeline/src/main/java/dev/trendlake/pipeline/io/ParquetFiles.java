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
 * (except for columns unique per row), 1 MiB pages, and standard three-level lists (the old two-level form that parquet-avro writes by
 * default confuses Athena and Spark readers of {@code tags}).
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
        // columns that are unique per row in a partition: a dictionary only costs hashing
        .withDictionaryEncoding("video_id", false)
        .withDictionaryEncoding("title", false)
        .withDictionaryEncoding("description", false)
        .withDictionaryEncoding("thumbnail_link", false)
        .withPageSize(1 << 20)
        .withRowGroupSize(128L << 20)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }
}
