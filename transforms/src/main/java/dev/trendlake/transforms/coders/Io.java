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
    int off = 0;
    while (off < n) {
      int r = in.read(b, off, n - off);
      if (r < 0) {
        throw new EOFException("expected " + n + " bytes, got " + off);
      }
      off += r;
    }
    return b;
  }

  /** A nullable long: 0 for null, else zig-zag value shifted by one. */
  static void writeNullableLong(OutputStream out, Long v) throws IOException {
    if (v == null) {
      out.write(0);
    } else {
      out.write(1);
      VarInt.encode(v, out);
    }
  }

  static Long readNullableLong(InputStream in) throws IOException {
    int m = in.read();
    if (m < 0) {
      throw new EOFException();
    }
    return m == 0 ? null : VarInt.decodeLong(in);
  }

  /** A nullable boolean in one byte: 0 null, 1 false, 2 true. */
  static void writeNullableBoolean(OutputStream out, Boolean v) throws IOException {
    out.write(v == null ? 0 : v ? 2 : 1);
  }

  static Boolean readNullableBoolean(InputStream in) throws IOException {
    int m = in.read();
    if (m < 0) {
      throw new EOFException();
    }
    return m == 0 ? null : m == 2;
  }
}
