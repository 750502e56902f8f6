package dev.trendlake.pipeline.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;
import org.junit.Test;

/**
 * {@link InternedDictionaryWriter} against parquet-mr's own dictionary writer on the same values:
 * the same data pages, encodings and dictionary page, page after page, whether the dictionary pays
 * or falls back to plain pages.
 */
public class InternedDictionaryWriterTest {
  private static final ColumnDescriptor TEXT =
      new ColumnDescriptor(
          new String[] {"title"},
          Types.optional(PrimitiveType.PrimitiveTypeName.BINARY)
              .as(LogicalTypeAnnotation.stringType())
              .named("title"),
          0,
          1);

  private static ValuesWriter writer(int dictionaryBytes, boolean interned) {
    ParquetProperties.Builder b =
        ParquetProperties.builder().withDictionaryPageSize(dictionaryBytes);
    if (interned) {
      b = b.withValuesWriterFactory(new InternedDictionaryWriter.Factory());
    }
    return b.build().newValuesWriter(TEXT);
  }

  /** Two pages of text drawn from {@code distinct} values, written to both writers. */
  private static Encoding compare(int dictionaryBytes, int distinct) throws Exception {
    ValuesWriter ours = writer(dictionaryBytes, true);
    ValuesWriter parquets = writer(dictionaryBytes, false);
    Map<String, Binary> interned = new HashMap<>();
    Encoding first = null;
    for (int page = 0; page < 2; page++) {
      for (int i = 0; i < 500; i++) {
        String s = "text " + ((i * 7 + page) % distinct) + " ✓";
        ours.writeBytes(
            interned.computeIfAbsent(
                s, t -> Binary.fromConstantByteArray(t.getBytes(StandardCharsets.UTF_8))));
        parquets.writeBytes(Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8)));
      }
      assertArrayEquals(parquets.getBytes().toByteArray(), ours.getBytes().toByteArray());
      assertEquals(parquets.getEncoding(), ours.getEncoding());
      first = first == null ? ours.getEncoding() : first;
      parquets.reset();
      ours.reset();
    }
    DictionaryPage theirs = parquets.toDictPageAndClose();
    DictionaryPage mine = ours.toDictPageAndClose();
    if (theirs == null) {
      assertNull(mine);
      return first;
    }
    assertEquals(theirs.getDictionarySize(), mine.getDictionarySize());
    assertEquals(theirs.getEncoding(), mine.getEncoding());
    assertArrayEquals(theirs.getBytes().toByteArray(), mine.getBytes().toByteArray());
    return first;
  }

  @Test
  public void sameBytesWhileTheDictionaryPays() throws Exception {
    assertEquals(Encoding.PLAIN_DICTIONARY, compare(1 << 20, 40));
  }

  @Test
  public void sameBytesWhenItFallsBackToPlain() throws Exception {
    assertEquals(Encoding.PLAIN, compare(1 << 20, 500));
    assertEquals(Encoding.PLAIN, compare(300, 40));
  }

  @Test
  public void aValueNotInternedIsStillWritten() throws Exception {
    ValuesWriter ours = writer(1 << 20, true);
    for (int i = 0; i < 3; i++) {
      ours.writeBytes(Binary.fromConstantByteArray("same".getBytes(StandardCharsets.UTF_8)));
    }
    ours.getBytes();
    DictionaryPage page = ours.toDictPageAndClose();
    assertTrue(page == null || page.getDictionarySize() == 3);
  }
}
