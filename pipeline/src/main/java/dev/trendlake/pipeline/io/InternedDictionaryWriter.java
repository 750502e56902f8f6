package dev.trendlake.pipeline.io;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.apache.parquet.column.values.dictionary.IntList;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType;

/**
 * A text dictionary for values that are already interned ({@link ParquetValues}: equal text is the
 * same {@link Binary} instance within a file), so it finds an entry by identity instead of by
 * content. parquet-mr's own dictionary writer hashes every value's bytes on each lookup, again when
 * it stores its copy and at every rehash, and compares the bytes on each hit; silver and gold each
 * did so for every title, description and tag (docs/benchmark.md). Everything else is parquet-mr's:
 * its entry ids in first-seen order, its size accounting, its fallback to plain pages when the
 * dictionary stops paying, so the pages it writes are the bytes parquet-mr's {@code
 * PlainBinaryDictionaryValuesWriter} writes for the same values.
 *
 * <p>A value that is not interned is still written correctly, only as a second dictionary entry.
 */
final class InternedDictionaryWriter extends DictionaryValuesWriter {
  private final Map<Binary, Integer> ids = new IdentityHashMap<>();
  private final List<Binary> entries = new ArrayList<>();

  private InternedDictionaryWriter(int maxDictionaryByteSize, ByteBufferAllocator allocator) {
    super(maxDictionaryByteSize, Encoding.PLAIN_DICTIONARY, Encoding.PLAIN_DICTIONARY, allocator);
  }

  @Override
  public void writeBytes(Binary v) {
    Integer id = ids.get(v);
    if (id == null) {
      if (v.isBackingBytesReused()) {
        throw new IllegalArgumentException("a dictionary entry must not change: reused bytes");
      }
      id = entries.size();
      ids.put(v, id);
      entries.add(v);
      // length as int (4 bytes) + actual bytes, as parquet-mr counts
      dictionaryByteSize += 4L + v.length();
    }
    encodedValues.add(id);
  }

  @Override
  public DictionaryPage toDictPageAndClose() {
    if (lastUsedDictionarySize == 0) {
      return null;
    }
    PlainValuesWriter page =
        new PlainValuesWriter(lastUsedDictionaryByteSize, maxDictionaryByteSize, allocator);
    for (int i = 0; i < lastUsedDictionarySize; i++) {
      page.writeBytes(entries.get(i));
    }
    return dictPage(page);
  }

  @Override
  protected int getDictionarySize() {
    return entries.size();
  }

  @Override
  protected void clearDictionaryContent() {
    ids.clear();
    entries.clear();
  }

  @Override
  protected void fallBackDictionaryEncodedData(ValuesWriter writer) {
    IntList.IntIterator it = encodedValues.iterator();
    while (it.hasNext()) {
      writer.writeBytes(entries.get(it.next()));
    }
  }

  /**
   * parquet-mr's values writers, except for dictionary-encoded text in Parquet 1.0 files (the
   * version trendlake writes), which gets this dictionary with parquet-mr's plain fallback, as
   * parquet-mr's own factory pairs them.
   */
  static final class Factory implements ValuesWriterFactory {
    private final ValuesWriterFactory parquet = new DefaultValuesWriterFactory();
    private ParquetProperties props;

    @Override
    public void initialize(ParquetProperties properties) {
      this.props = properties;
      parquet.initialize(properties);
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor column) {
      if (column.getPrimitiveType().getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.BINARY
          || !props.isDictionaryEnabled(column)
          || props.getWriterVersion() != ParquetProperties.WriterVersion.PARQUET_1_0) {
        return parquet.newValuesWriter(column);
      }
      return FallbackValuesWriter.of(
          new InternedDictionaryWriter(
              props.getDictionaryPageSizeThreshold(), props.getAllocator()),
          new PlainValuesWriter(
              props.getInitialSlabSize(), props.getPageSizeThreshold(), props.getAllocator()));
    }
  }
}
