package dev.trendlake.transforms.youtube;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tells whether a whole document is UTF-8 and, if not, what it looks like, in words that say what
 * to fix: a UTF-16 or UTF-32 byte order mark, the NUL bytes of UTF-16 without one, or the first
 * byte that is no UTF-8, with its line.
 */
final class Utf8Check {
  private Utf8Check() {}

  /** Null when {@code bytes} are UTF-8 (a UTF-8 byte order mark is fine), else the problem. */
  static String problem(byte[] bytes) {
    String bom = unicodeBom(bytes);
    if (bom != null) {
      return "the file is " + bom;
    }
    if (bytes.length >= 2 && (bytes[0] == 0 || bytes[1] == 0)) {
      return "the file looks like UTF-16 or UTF-32 without a byte order mark (it starts with NUL"
          + " bytes)";
    }
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult r = d.decode(in, out, true);
      if (r.isError()) {
        return notUtf8(bytes, in.position(), r.length());
      }
      if (r.isUnderflow()) {
        r = d.flush(out);
        return r.isError() ? notUtf8(bytes, in.position(), r.length()) : null;
      }
      out.clear();
    }
  }

  private static String unicodeBom(byte[] b) {
    if (starts(b, 0xFF, 0xFE, 0x00, 0x00)) {
      return "UTF-32 LE (it starts with the byte order mark FF FE 00 00)";
    }
    if (starts(b, 0x00, 0x00, 0xFE, 0xFF)) {
      return "UTF-32 BE (it starts with the byte order mark 00 00 FE FF)";
    }
    if (starts(b, 0xFF, 0xFE)) {
      return "UTF-16 LE (it starts with the byte order mark FF FE)";
    }
    if (starts(b, 0xFE, 0xFF)) {
      return "UTF-16 BE (it starts with the byte order mark FE FF)";
    }
    return null;
  }

  private static boolean starts(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String notUtf8(byte[] bytes, int at, int length) {
    long line = 1;
    for (int i = 0; i < at; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    StringBuilder hex = new StringBuilder();
    for (int i = at; i < Math.min(bytes.length, at + Math.max(1, length)); i++) {
      hex.append(hex.length() == 0 ? "" : " ")
          .append(String.format(Locale.ROOT, "%02X", bytes[i] & 0xFF));
    }
    boolean single = Math.max(1, length) == 1;
    return "not UTF-8: the byte"
        + (single ? " " : "s ")
        + hex
        + " at line "
        + line
        + ", byte "
        + (at + 1)
        + (single ? " is" : " are")
        + " no UTF-8 character"
        + ((bytes[at] & 0xFF) >= 0x80 ? " (Windows-1252 or Latin-1?)" : "");
  }
}
