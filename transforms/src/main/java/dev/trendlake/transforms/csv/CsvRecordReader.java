package dev.trendlake.transforms.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A streaming RFC 4180 CSV reader over bytes, lenient in the two ways real trending files need.
 *
 * <p>Why not Commons CSV: the pipeline must quarantine a bad record with its <em>original
 * bytes</em> and the line it starts on, count invalid UTF-8 per record, and break ties between
 * duplicates on the raw record text. A byte-level state machine gives all of that in one pass
 * without re-serialising fields, and it is several times faster than a char-level parser on files
 * whose descriptions average a kilobyte.
 *
 * <p>Grammar: fields separated by {@code ,}; records end at LF, CRLF or a lone CR outside quotes; a
 * field that starts with {@code "} is quoted, {@code ""} inside it is one quote, and line breaks
 * and lone CR bytes inside it are data. Two leniencies, as in Commons CSV's {@code
 * setTrailingData(true)} and {@code setLenientEof(true)}:
 *
 * <ul>
 *   <li>trailing data: characters after a closing quote and before the next separator are kept
 *       literally, so the early Kaggle tags {@code "tag1"|"tag2"} read as {@code tag1|"tag2"};
 *   <li>lenient EOF: a file that ends inside a quoted field yields its last record with {@link
 *       CsvRecord#truncated()} set, instead of failing the whole file.
 * </ul>
 *
 * A UTF-8 byte order mark at the start is skipped, empty lines are skipped, and a missing final
 * line break is fine. Lines are counted at LF bytes and at lone-CR record ends, so {@link
 * CsvRecord#line()} is what an editor shows for the record's first line.
 */
public final class CsvRecordReader implements Closeable {
  private static final byte QUOTE = '"';
  private static final byte COMMA = ',';
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int limit;
  private boolean eof;
  private boolean started;
  private boolean skipLf;
  private long line = 1;

  // the current record: its raw bytes, the unescaped field values back to back, and field ends
  private byte[] raw = new byte[4096];
  private int rawLen;
  private byte[] val = new byte[4096];
  private int valLen;
  private int[] ends = new int[32];
  private int fieldCount;
  // value positions where bytes were not adjacent in the input (a closing quote stood between)
  private int[] breaks = new int[4];
  private int breakCount;

  public CsvRecordReader(InputStream in) {
    this(in, 1 << 16);
  }

  /** {@code bufferSize}: at least 3 bytes are kept, so a byte order mark always fits. */
  CsvRecordReader(InputStream in, int bufferSize) {
    this.in = in;
    this.buf = new byte[Math.max(3, bufferSize)];
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.read(buf, 0, buf.length);
    while (n == 0) {
      n = in.read(buf, 0, buf.length);
    }
    if (n < 0) {
      eof = true;
      pos = limit = 0;
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  /**
   * Skips a UTF-8 byte order mark. The first read may return fewer than three bytes (S3 streams
   * return short reads), so reads are appended after what the buffer holds until three bytes are
   * there or the file ends; the buffer is never refilled from its start here, so nothing can be
   * pushed back past its end.
   */
  private void skipBom() throws IOException {
    started = true;
    while (limit - pos < 3 && !eof) {
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        eof = true;
      } else {
        limit += n;
      }
    }
    if (limit - pos >= 3
        && (buf[pos] & 0xFF) == 0xEF
        && (buf[pos + 1] & 0xFF) == 0xBB
        && (buf[pos + 2] & 0xFF) == 0xBF) {
      pos += 3;
    }
  }

  /** The next record, or null at end of file. */
  public CsvRecord next() throws IOException {
    if (!started) {
      skipBom();
    }
    while (true) {
      CsvRecord r = readOne();
      if (r != EMPTY_LINE) {
        return r;
      }
    }
  }

  private static final CsvRecord EMPTY_LINE =
      new CsvRecord(0, new byte[0], new String[0], false, 0);

  private static final int FIELD_START = 0;
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;
  private static final int QUOTE_IN_QUOTED = 3;

  private CsvRecord readOne() throws IOException {
    rawLen = 0;
    valLen = 0;
    fieldCount = 0;
    breakCount = 0;
    int state = FIELD_START;
    long startLine = line;
    while (true) {
      if (pos >= limit && !fill()) {
        // end of file
        if (rawLen == 0 && fieldCount == 0) {
          return null;
        }
        boolean truncated = state == QUOTED;
        endField();
        return build(startLine, truncated);
      }
      // fast path: copy a run of plain data bytes at once
      int end = state == QUOTED ? quotedRunEnd() : state == UNQUOTED ? unquotedRunEnd() : pos;
      if (end > pos) {
        appendBoth(pos, end - pos);
        pos = end;
        continue;
      }
      byte b = buf[pos++];
      if (skipLf) {
        skipLf = false;
        if (b == LF) {
          continue;
        }
      }
      switch (state) {
        case FIELD_START:
          if (b == QUOTE) {
            state = QUOTED;
            appendRaw(b);
          } else if (b == COMMA) {
            appendRaw(b);
            endField();
          } else if (b == LF || b == CR) {
            lineBreak(b);
            if (rawLen == 0 && fieldCount == 0) {
              return EMPTY_LINE;
            }
            endField();
            return build(startLine, false);
          } else {
            appendRaw(b);
            appendVal(b);
            state = UNQUOTED;
          }
          break;
        case UNQUOTED:
          if (b == COMMA) {
            appendRaw(b);
            endField();
            state = FIELD_START;
          } else if (b == LF || b == CR) {
            lineBreak(b);
            endField();
            return build(startLine, false);
          } else {
            appendRaw(b);
            appendVal(b);
          }
          break;
        case QUOTED:
          appendRaw(b);
          if (b == QUOTE) {
            state = QUOTE_IN_QUOTED;
          } else {
            if (b == LF) {
              line++;
            }
            appendVal(b);
          }
          break;
        default: // QUOTE_IN_QUOTED
          if (b == QUOTE) {
            appendRaw(b);
            appendVal(b);
            state = QUOTED;
          } else if (b == COMMA) {
            appendRaw(b);
            endField();
            state = FIELD_START;
          } else if (b == LF || b == CR) {
            lineBreak(b);
            endField();
            return build(startLine, false);
          } else {
            // trailing data after the closing quote: kept literally, but decoded apart from the
            // quoted part, as the quote stood between their bytes
            markBreak();
            appendRaw(b);
            appendVal(b);
            state = UNQUOTED;
          }
          break;
      }
    }
  }

  private void lineBreak(byte b) {
    line++;
    if (b == CR) {
      skipLf = true;
    }
  }

  /**
   * Where the data inside quotes ends in the buffer: the next quote or the buffer's end (LFs
   * counted).
   */
  private int quotedRunEnd() {
    int p = pos;
    while (p < limit) {
      byte c = buf[p];
      if (c == QUOTE) {
        break;
      }
      if (c == LF) {
        line++;
      }
      p++;
    }
    return p;
  }

  /**
   * Where an unquoted field's data ends in the buffer: the next separator, line break or the
   * buffer's end.
   */
  private int unquotedRunEnd() {
    int p = pos;
    while (p < limit) {
      byte c = buf[p];
      if (c == COMMA || c == LF || c == CR) {
        break;
      }
      p++;
    }
    return p;
  }

  /**
   * Appends {@code n} bytes of the buffer from {@code from} to both the raw record and the value.
   */
  private void appendBoth(int from, int n) {
    if (rawLen + n > raw.length) {
      raw = Arrays.copyOf(raw, Math.max(raw.length * 2, rawLen + n));
    }
    System.arraycopy(buf, from, raw, rawLen, n);
    rawLen += n;
    if (valLen + n > val.length) {
      val = Arrays.copyOf(val, Math.max(val.length * 2, valLen + n));
    }
    System.arraycopy(buf, from, val, valLen, n);
    valLen += n;
  }

  private void appendRaw(byte b) {
    if (rawLen == raw.length) {
      raw = Arrays.copyOf(raw, raw.length * 2);
    }
    raw[rawLen++] = b;
  }

  private void appendVal(byte b) {
    if (valLen == val.length) {
      val = Arrays.copyOf(val, val.length * 2);
    }
    val[valLen++] = b;
  }

  private void endField() {
    if (fieldCount == ends.length) {
      ends = Arrays.copyOf(ends, ends.length * 2);
    }
    ends[fieldCount++] = valLen;
  }

  private void markBreak() {
    if (breakCount == breaks.length) {
      breaks = Arrays.copyOf(breaks, breaks.length * 2);
    }
    breaks[breakCount++] = valLen;
  }

  private CsvRecord build(long startLine, boolean truncated) {
    String[] fields = new String[fieldCount];
    boolean ascii = true;
    for (int i = 0; i < valLen; i++) {
      if (val[i] < 0) {
        ascii = false;
        break;
      }
    }
    int start = 0;
    int repairs = 0;
    int b = 0;
    for (int f = 0; f < fieldCount; f++) {
      int end = ends[f];
      if (ascii) {
        fields[f] = new String(val, start, end - start, StandardCharsets.ISO_8859_1);
      } else {
        while (b < breakCount && breaks[b] <= start) {
          b++;
        }
        if (b == breakCount || breaks[b] >= end) {
          fields[f] = new String(val, start, end - start, StandardCharsets.UTF_8);
          repairs += countRepairs(fields[f], val, start, end);
        } else {
          StringBuilder sb = new StringBuilder(end - start);
          int from = start;
          for (; b < breakCount && breaks[b] < end; b++) {
            repairs += decodeInto(sb, from, breaks[b]);
            from = breaks[b];
          }
          repairs += decodeInto(sb, from, end);
          fields[f] = sb.toString();
        }
      }
      start = end;
    }
    return new CsvRecord(startLine, Arrays.copyOf(raw, rawLen), fields, truncated, repairs);
  }

  /** Decodes {@code val[from, to)} onto {@code sb}; returns its repairs. */
  private int decodeInto(StringBuilder sb, int from, int to) {
    String s = new String(val, from, to - from, StandardCharsets.UTF_8);
    sb.append(s);
    return countRepairs(s, val, from, to);
  }

  /**
   * Replacement characters in {@code decoded}, less those that were already in its bytes {@code
   * bytes[from, to)} as valid UTF-8 (EF BF BD): the number of malformed sequences repaired. Counted
   * per decoded piece, so bytes of neighbouring fields never make up a literal U+FFFD.
   */
  static int countRepairs(String decoded, byte[] bytes, int from, int to) {
    int inDecoded = 0;
    for (int i = 0; i < decoded.length(); i++) {
      if (decoded.charAt(i) == '\uFFFD') {
        inDecoded++;
      }
    }
    if (inDecoded == 0) {
      return 0;
    }
    int literal = 0;
    for (int i = from; i + 2 < to; i++) {
      if ((bytes[i] & 0xFF) == 0xEF
          && (bytes[i + 1] & 0xFF) == 0xBF
          && (bytes[i + 2] & 0xFF) == 0xBD) {
        literal++;
      }
    }
    return inDecoded - literal;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
