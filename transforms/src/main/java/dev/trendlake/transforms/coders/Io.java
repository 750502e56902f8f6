package dev.trendlake.transforms.coders;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.util.VarInt;

/**
 * Field encodings shared by trendlake's coders: var-ints, and strings, longs and byte arrays with a
 * null marker. Hand-written coders instead of SerializableCoder or schema rows: the records move
 * through a shuffle a million times a run, and these are compact, fast and deterministic.
 */
final class Io {
  private Io() {}

  static void writeString(OutputStream out, String s) throws IOException {
    if (s == null) {
      VarInt.encode(0, out);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    VarInt.encode(b.length + 1, out);
    out.write(b);
  }

  static String readString(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n == 0) {
      return null;
    }
    byte[] b = readFully(in, n - 1);
    return new String(b, StandardCharsets.UTF_8);
  }

  static void writeBytes(OutputStream out, byte[] b) throws IOException {
    VarInt.encode(b.length, out);
    out.write(b);
  }

  static byte[] readBytes(InputStream in) throws IOException {
    return readFully(in, VarInt.decodeInt(in));
  }

  static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = new byte[n];
    readFully(in, b, n);
    return b;
  }

  /** Reads exactly {@code n} bytes into {@code b} from 0. */
  static void readFully(InputStream in, byte[] b, int n) throws IOException {
    int off = 0;
    while (off < n) {
      int r = in.read(b, off, n - off);
      if (r < 0) {
        throw new EOFException("expected " + n + " bytes, got " + off);
      }
      off += r;
    }
  }

  /** Zig-zag: small negative numbers stay small in a var-int. */
  static long zigZag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  static long unZigZag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  static void writeDouble(OutputStream out, double d) throws IOException {
    long bits = Double.doubleToLongBits(d);
    for (int i = 56; i >= 0; i -= 8) {
      out.write((int) (bits >>> i) & 0xff);
    }
  }

  static double readDouble(InputStream in) throws IOException {
    byte[] b = readFully(in, 8);
    long bits = 0;
    for (byte x : b) {
      bits = (bits << 8) | (x & 0xff);
    }
    return Double.longBitsToDouble(bits);
  }
}
