package dev.trendlake.transforms.coders;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that a row is written into and read back from, with var-ints, zig-zag
 * numbers and UTF-8 text, so that a row crosses a coder's stream in one bulk write and one bulk
 * read instead of a call (to a synchronized {@code ByteArrayOutputStream} or {@code
 * ByteArrayInputStream} in Beam's coder utilities) per byte of every number and marker.
 */
final class RowBytes {
  /** Room kept in front of a written row for its length as a var-int. */
  static final int HEADER = 5;

  byte[] buf = new byte[4096];
  int pos;

  /** Starts a row to write: its bytes begin at {@link #HEADER}. */
  void startWrite() {
    pos = HEADER;
  }

  /** Starts reading {@code n} bytes that the caller puts into {@link #buf} at 0. */
  void startRead(int n) {
    if (buf.length < n) {
      buf = new byte[Math.max(n, buf.length * 2)];
    }
    pos = 0;
  }

  /**
   * Writes the length of the row written since {@link #startWrite} as a var-int just before it;
   * returns where the length starts (the row ends at {@link #pos}).
   */
  int finishWrite() {
    int length = pos - HEADER;
    int size = 1;
    for (int v = length >>> 7; v != 0; v >>>= 7) {
      size++;
    }
    int start = HEADER - size;
    int at = start;
    long v = length;
    while (v >= 0x80) {
      buf[at++] = (byte) (v | 0x80);
      v >>>= 7;
    }
    buf[at] = (byte) v;
    return start;
  }

  private void room(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  void putByte(int b) {
    room(1);
    buf[pos++] = (byte) b;
  }

  void putVarLong(long v) {
    room(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  void putZigZag(long v) {
    putVarLong((v << 1) ^ (v >> 63));
  }

  void putDouble(double d) {
    room(8);
    long bits = Double.doubleToLongBits(d);
    for (int i = 56; i >= 0; i -= 8) {
      buf[pos++] = (byte) (bits >>> i);
    }
  }

  void putText(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    putVarLong(b.length);
    room(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  int getByte() {
    return buf[pos++] & 0xFF;
  }

  long getVarLong() {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = buf[pos++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
    }
  }

  long getZigZag() {
    long v = getVarLong();
    return (v >>> 1) ^ -(v & 1);
  }

  double getDouble() {
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (buf[pos++] & 0xFF);
    }
    return Double.longBitsToDouble(bits);
  }

  String getText() {
    int n = (int) getVarLong();
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }
}
