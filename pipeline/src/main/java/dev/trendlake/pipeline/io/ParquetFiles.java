package dev.trendlake.pipeline.io;

import java.io.IOException;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Opens Parquet writers with the settings every trendlake file uses: snappy, dictionary encoding
 * (except for the two columns unique per row; Parquet drops a dictionary that does not pay), 1 MiB
 * pages, 128 MiB row groups, and standard three-level lists (the old two-level form that
 * parquet-avro writes by default confuses Athena and Spark readers of {@code tags}).
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

  /**
   * A writer of {@link ParquetValues} in {@code layout}, its text dictionaries keyed by identity
   * ({@link InternedDictionaryWriter}): give it values of one {@link ParquetValues} between two
   * {@link ParquetValues#startFiles()}.
   *
   * @param plainColumns columns unique per row within a partition ({@link
   *     dev.trendlake.transforms.row.RowSchema#plainColumns}): a dictionary there only costs
   *     hashing. Other text (titles and descriptions repeat across videos: a channel's boilerplate,
   *     a series' episodes) keeps its dictionary while it pays, and Parquet falls back to plain
   *     pages when it does not, as Spark's writer does (docs/benchmark.md)
   */
  static RowFileWriter open(
      String path, FileLayout layout, Configuration conf, Set<String> plainColumns)
      throws IOException {
    ParquetProperties.Builder props =
        ParquetProperties.builder()
            .withPageSize(1 << 20)
            .withDictionaryEncoding(true)
            .withValuesWriterFactory(new InternedDictionaryWriter.Factory());
    for (String c : plainColumns) {
      if (layout.type().containsField(c)) {
        props = props.withDictionaryEncoding(c, false);
      }
    }
    return new RowFileWriter(
        new ChannelOutputFile(FileSystems.matchNewResource(path, false)),
        layout,
        props.build(),
        CompressionCodecName.SNAPPY,
        128L << 20,
        conf);
  }
}
