package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.ValueType;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;

/**
 * Writes one Parquet file by handing each row's {@link ParquetValues} straight to parquet-mr's
 * column writers, with the repetition and definition levels the column definition implies: no Avro
 * record and no record consumer in between (parquet's {@code ParquetWriter} builds rows through a
 * {@code RecordConsumer} that re-derives those levels field by field, and accepts no {@link
 * ParquetProperties} of ours). Row groups, pages, statistics, column and offset indexes,
 * dictionaries and their fallback are parquet-mr's own, as its {@code InternalParquetRecordWriter}
 * drives them. The footer is made deterministic ({@link DeterministicFooter}).
 *
 * <p>Levels: a required value is written at definition level 0; an optional one at 1, or as a null
 * at 0; a list (a required three-level {@code LIST} group, {@link FileLayout}) as its elements, the
 * first at repetition level 0 and the rest at 1, all at definition level 1, or an empty list as a
 * null at definition level 0. A list whose entries may be null ({@code
 * STRING_LIST_NULLABLE_ENTRIES}, an optional element) writes its entries at 2, a null entry as a
 * null at 1, and an empty list as a null at 0.
 */
final class RowFileWriter implements Closeable {
  /** How often (rows) the buffered size is compared with the row-group size. */
  private static final int ROW_GROUP_CHECK = 100;

  private final ParquetFileWriter file;
  private final DeterministicFooter.File target;
  private final FileLayout layout;
  private final ParquetProperties props;
  private final CodecFactory codecs;
  private final CodecFactory.BytesCompressor compressor;
  private final long rowGroupSize;
  private final Col<?>[] cols;
  private final List<ColumnDescriptor> leaves;
  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore store;
  private final ColumnWriter[] writers;
  private final int[] maxDef;
  private final int[] emptyDef;
  private long rows;

  RowFileWriter(
      OutputFile out,
      FileLayout layout,
      ParquetProperties props,
      CompressionCodecName codec,
      long rowGroupSize,
      Configuration conf)
      throws IOException {
    this.layout = layout;
    this.props = props;
    this.rowGroupSize = rowGroupSize;
    this.cols = layout.cols().toArray(new Col<?>[0]);
    this.leaves = layout.type().getColumns();
    this.writers = new ColumnWriter[cols.length];
    this.maxDef = new int[cols.length];
    this.emptyDef = new int[cols.length];
    for (int i = 0; i < cols.length; i++) {
      maxDef[i] = leaves.get(i).getMaxDefinitionLevel();
      // an empty list is a null at the level of its repeated group: one below a required element,
      // two below an optional one (a list whose entries may be null)
      emptyDef[i] = maxDef[i] - (cols[i].type() == ValueType.STRING_LIST_NULLABLE_ENTRIES ? 2 : 1);
    }
    this.target = new DeterministicFooter.File(out);
    this.file =
        new ParquetFileWriter(
            target,
            layout.type(),
            ParquetFileWriter.Mode.OVERWRITE,
            rowGroupSize,
            ParquetWriter.MAX_PADDING_SIZE_DEFAULT,
            props.getColumnIndexTruncateLength(),
            props.getStatisticsTruncateLength(),
            props.getPageWriteChecksumEnabled());
    this.codecs = new CodecFactory(conf, props.getPageSizeThreshold());
    this.compressor = codecs.getCompressor(codec);
    file.start();
    startRowGroup();
  }

  private void startRowGroup() {
    pages =
        new ColumnChunkPageWriteStore(
            compressor,
            layout.type(),
            props.getAllocator(),
            props.getColumnIndexTruncateLength(),
            props.getPageWriteChecksumEnabled());
    store = props.newColumnWriteStore(layout.type(), pages, pages);
    for (int i = 0; i < cols.length; i++) {
      writers[i] = store.getColumnWriter(leaves.get(i));
    }
  }

  /** Writes one row; {@code values} as {@link ParquetValues#of} makes them. */
  void write(Object[] values) throws IOException {
    for (int i = 0; i < cols.length; i++) {
      Object v = values[cols[i].index()];
      ColumnWriter w = writers[i];
      int def = maxDef[i];
      if (v == null) {
        if (def == 0) {
          throw new IllegalArgumentException("required column " + cols[i].name() + " is null");
        }
        w.writeNull(0, def - 1);
        continue;
      }
      switch (cols[i].type()) {
        case STRING -> w.write((Binary) v, 0, def);
        case INT64, TIMESTAMP_MICROS -> w.write(((Long) v).longValue(), 0, def);
        case DATE -> w.write(((Integer) v).intValue(), 0, def);
        case FLOAT64 -> w.write(((Double) v).doubleValue(), 0, def);
        case BOOLEAN -> w.write(((Boolean) v).booleanValue(), 0, def);
        case STRING_LIST, INT64_LIST, STRING_LIST_NULLABLE_ENTRIES -> {
          Object[] l = (Object[]) v;
          if (l.length == 0) {
            w.writeNull(0, emptyDef[i]);
          }
          for (int e = 0; e < l.length; e++) {
            int rep = e == 0 ? 0 : 1;
            if (l[e] == null) {
              w.writeNull(rep, def - 1);
            } else if (l[e] instanceof Binary b) {
              w.write(b, rep, def);
            } else {
              w.write(((Long) l[e]).longValue(), rep, def);
            }
          }
        }
      }
    }
    store.endRecord();
    rows++;
    if (rows % ROW_GROUP_CHECK == 0 && store.getBufferedSize() >= rowGroupSize) {
      flushRowGroup();
      startRowGroup();
    }
  }

  private void flushRowGroup() throws IOException {
    if (rows > 0) {
      file.startBlock(rows);
      store.flush();
      pages.flushToFileWriter(file);
      file.endBlock();
      rows = 0;
    }
    store.close();
  }

  @Override
  public void close() throws IOException {
    try {
      flushRowGroup();
      target.stream().holdTail();
      file.end(layout.metadata());
    } finally {
      codecs.release();
    }
  }
}
