package dev.trendlake.transforms.csv;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class CsvRecordReaderTest {

  private static List<CsvRecord> read(byte[] bytes, int bufferSize) throws IOException {
    List<CsvRecord> out = new ArrayList<>();
    try (CsvRecordReader r = new CsvRecordReader(new ByteArrayInputStream(bytes), bufferSize)) {
      CsvRecord rec;
      while ((rec = r.next()) != null) {
        out.add(rec);
      }
    }
    return out;
  }

  private static List<CsvRecord> read(String s) throws IOException {
    List<CsvRecord> small = read(s.getBytes(StandardCharsets.UTF_8), 3);
    List<CsvRecord> big = read(s.getBytes(StandardCharsets.UTF_8), 1 << 16);
    // the buffer boundary must never change what is read
    assertEquals(big.size(), small.size());
    for (int i = 0; i < big.size(); i++) {
      assertEquals(big.get(i).fields(), small.get(i).fields());
      assertEquals(big.get(i).line(), small.get(i).line());
      assertEquals(
          new String(big.get(i).raw(), StandardCharsets.UTF_8),
          new String(small.get(i).raw(), StandardCharsets.UTF_8));
    }
    return big;
  }

  @Test
  public void readsPlainRecordsWithLfAndCrlf() throws IOException {
    List<CsvRecord> r = read("a,b,c\r\n1,2,3\n4,5,6\r\n");
    assertEquals(3, r.size());
    assertEquals(List.of("1", "2", "3"), r.get(1).fields());
    assertEquals(List.of("4", "5", "6"), r.get(2).fields());
    assertEquals(3, r.get(2).line());
  }

  @Test
  public void noFinalNewline() throws IOException {
    List<CsvRecord> r = read("a,b\n1,2");
    assertEquals(2, r.size());
    assertEquals(List.of("1", "2"), r.get(1).fields());
    assertFalse(r.get(1).truncated());
  }

  @Test
  public void quotedFieldsKeepCommasLineBreaksAndLoneCr() throws IOException {
    List<CsvRecord> r = read("x,y\n\"a, b\",\"line1\r\nline2\rstill2\"\nnext,1\n");
    assertEquals(3, r.size());
    assertEquals("a, b", r.get(1).get(0));
    assertEquals("line1\r\nline2\rstill2", r.get(1).get(1));
    assertEquals(2, r.get(1).line());
    // the record spanned lines 2-3 (one LF inside quotes; a lone CR is no line), so next starts on
    // 4
    assertEquals(4, r.get(2).line());
    assertEquals(
        "\"a, b\",\"line1\r\nline2\rstill2\"", new String(r.get(1).raw(), StandardCharsets.UTF_8));
  }

  @Test
  public void doubledQuotesAreOneQuote() throws IOException {
    List<CsvRecord> r = read("t\n\"tag1|\"\"tag2\"\"\"\n");
    assertEquals("tag1|\"tag2\"", r.get(1).get(0));
  }

  @Test
  public void trailingDataAfterClosingQuoteIsKept() throws IOException {
    // the early Kaggle tags serialisation: a quoted field followed by more characters
    List<CsvRecord> r = read("t,n\n\"tag1\"|\"tag2\"|\"tag3\",7\n");
    assertEquals(2, r.get(1).size());
    assertEquals("tag1|\"tag2\"|\"tag3\"", r.get(1).get(0));
    assertEquals("7", r.get(1).get(1));
  }

  @Test
  public void recordCutOffInsideQuotesIsFlagged() throws IOException {
    List<CsvRecord> r = read("a,b\n1,2\n3,\"never closed\n");
    assertEquals(3, r.size());
    assertFalse(r.get(1).truncated());
    assertTrue(r.get(2).truncated());
    assertEquals(3, r.get(2).line());
  }

  @Test
  public void bomIsSkippedAndEmptyLinesIgnored() throws IOException {
    byte[] b = "\uFEFFvideo_id,x\n\n1,2\n\n".getBytes(StandardCharsets.UTF_8);
    List<CsvRecord> r = read(b, 2);
    assertEquals(2, r.size());
    assertEquals("video_id", r.get(0).get(0));
    assertEquals(3, r.get(1).line());
  }

  @Test
  public void shortFileWithoutBom() throws IOException {
    List<CsvRecord> r = read("a");
    assertEquals(1, r.size());
    assertEquals("a", r.get(0).get(0));
    assertEquals(0, read(new byte[0], 4).size());
  }

  @Test
  public void invalidUtf8IsRepairedAndCounted() throws IOException {
    byte[] b =
        new byte[] {
          'a',
          ',',
          'b',
          (byte) 0xFF,
          (byte) 0xFE,
          '\n',
          'c',
          ',',
          (byte) 0xEF,
          (byte) 0xBF,
          (byte) 0xBD,
          '\n'
        };
    List<CsvRecord> r = read(b, 4);
    assertEquals("b\uFFFD\uFFFD", r.get(0).get(1));
    assertEquals(2, r.get(0).encodingRepairs());
    // a real U+FFFD in the input is no repair
    assertEquals("\uFFFD", r.get(1).get(1));
    assertEquals(0, r.get(1).encodingRepairs());
  }

  @Test
  public void wrongFieldCountsAreVisible() throws IOException {
    List<CsvRecord> r = read("a,b,c\n1,2\n1,2,3,4\n,,\n");
    assertEquals(2, r.get(1).size());
    assertEquals(4, r.get(2).size());
    assertEquals(List.of("", "", ""), r.get(3).fields());
  }

  @Test
  public void loneCrEndsARecordOutsideQuotes() throws IOException {
    List<CsvRecord> r = read("a,b\r1,2\r3,4");
    assertEquals(3, r.size());
    assertEquals(List.of("3", "4"), r.get(2).fields());
    assertEquals(3, r.get(2).line());
  }

  @Test
  public void endOfFileRightAfterSeparatorGivesEmptyLastField() throws IOException {
    List<CsvRecord> r = read("a,b\n1,");
    assertEquals(List.of("1", ""), r.get(1).fields());
    assertNull(new CsvRecordReader(new ByteArrayInputStream(new byte[0])).next());
  }

  @Test
  public void bufferBoundariesNeverChangeWhatIsReadOnRandomInput() throws IOException {
    java.util.Random random = new java.util.Random(11);
    String[] pieces = {"a", "bc", ",", "\"", "\"\"", "\n", "\r", "\r\n", "\u00e9", "\u65e5"};
    for (int k = 0; k < 3_000; k++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(30);
      for (int i = 0; i < n; i++) {
        sb.append(pieces[random.nextInt(pieces.length)]);
      }
      byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
      List<CsvRecord> big = read(bytes, 1 << 16);
      for (int size : new int[] {3, 4, 7}) {
        List<CsvRecord> small = read(bytes, size);
        assertEquals(sb.toString(), big.size(), small.size());
        for (int i = 0; i < big.size(); i++) {
          assertEquals(sb.toString(), big.get(i).fields(), small.get(i).fields());
          assertEquals(big.get(i).line(), small.get(i).line());
          assertEquals(big.get(i).truncated(), small.get(i).truncated());
          assertArrayEquals(big.get(i).raw(), small.get(i).raw());
        }
      }
    }
  }

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  @Test
  public void malformedBytesStraddlingASeparatorAreEachCounted() throws IOException {
    // EF | BF BD: "a" + a lone lead byte, then two lone continuation bytes; joined without the
    // comma the value bytes hold EF BF BD, which is no literal U+FFFD in the input
    for (int size : new int[] {3, 1 << 16}) {
      List<CsvRecord> r = read(bytes(0x61, 0xEF, 0x2C, 0xBF, 0xBD, 0x62, 0x0A), size);
      assertEquals(List.of("a\uFFFD", "\uFFFD\uFFFDb"), r.get(0).fields());
      assertEquals(3, r.get(0).encodingRepairs());
    }
  }

  @Test
  public void closingQuoteSplitsAMultiByteSequence() throws IOException {
    // "E2 82" AC: the quote between the bytes is gone from the value, but the bytes were never
    // one character: two repairs, as a decoder of the whole text (Commons CSV) reads them
    for (int size : new int[] {3, 1 << 16}) {
      List<CsvRecord> r = read(bytes(0x22, 0xE2, 0x82, 0x22, 0xAC, 0x2C, 0x78, 0x0A), size);
      assertEquals(List.of("\uFFFD\uFFFD", "x"), r.get(0).fields());
      assertEquals(2, r.get(0).encodingRepairs());
    }
    // a real character after trailing data still reads whole
    List<CsvRecord> ok = read("\"a\"\u20ac,x\n");
    assertEquals(List.of("a\u20ac", "x"), ok.get(0).fields());
    assertEquals(0, ok.get(0).encodingRepairs());
  }

  @Test
  public void shortFirstReadThenAFullOneKeepsEveryByte() throws IOException {
    // S3 streams may return a byte or two first; the BOM check must not overrun the buffer
    for (int first = 1; first <= 2; first++) {
      byte[] data = new byte[(1 << 16) * 2 + 10];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (i % 50 == 49 ? '\n' : 'a' + i % 26);
      }
      int[] chunks = {first, (1 << 16) - 1};
      List<CsvRecord> r = new ArrayList<>();
      try (CsvRecordReader reader = new CsvRecordReader(new ChunkedStream(data, chunks), 1 << 16)) {
        CsvRecord rec;
        while ((rec = reader.next()) != null) {
          r.add(rec);
        }
      }
      List<CsvRecord> whole = read(data, 1 << 16);
      assertEquals(whole.size(), r.size());
      for (int i = 0; i < whole.size(); i++) {
        assertEquals(whole.get(i).fields(), r.get(i).fields());
      }
    }
  }

  /** Returns the given chunk sizes first, then whatever is asked. */
  private static final class ChunkedStream extends java.io.InputStream {
    private final byte[] data;
    private final int[] chunks;
    private int pos;
    private int call;

    ChunkedStream(byte[] data, int[] chunks) {
      this.data = data;
      this.chunks = chunks;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(len, data.length - pos);
      if (call < chunks.length) {
        n = Math.min(n, chunks[call]);
      }
      call++;
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
