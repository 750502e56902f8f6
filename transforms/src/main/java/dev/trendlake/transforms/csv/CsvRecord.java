package dev.trendlake.transforms.csv;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One CSV record as read from a file: where it starts, its raw bytes and its decoded fields.
 *
 * <p>Fields are decoded from UTF-8 with U+FFFD for every malformed byte sequence; {@link
 * #encodingRepairs()} says how many replacements were made, so the caller can count them per file
 * while keeping the record.
 */
public final class CsvRecord {
  private final long line;
  private final byte[] raw;
  private final String[] fields;
  private final boolean truncated;
  private final int encodingRepairs;

  CsvRecord(long line, byte[] raw, String[] fields, boolean truncated, int encodingRepairs) {
    this.line = line;
    this.raw = raw;
    this.fields = fields;
    this.truncated = truncated;
    this.encodingRepairs = encodingRepairs;
  }

  /** 1-based line of the file on which the record starts. */
  public long line() {
    return line;
  }

  /** The record's bytes as they stand in the file, without its line terminator. */
  public byte[] raw() {
    return raw;
  }

  public int size() {
    return fields.length;
  }

  public String get(int i) {
    return fields[i];
  }

  public List<String> fields() {
    return List.of(fields);
  }

  /** True when the file ended inside a quoted field: the record is cut off. */
  public boolean truncated() {
    return truncated;
  }

  /** How many malformed UTF-8 sequences were replaced by U+FFFD while decoding the fields. */
  public int encodingRepairs() {
    return encodingRepairs;
  }

  /** The raw bytes decoded for display (U+FFFD for malformed sequences). */
  public String rawText() {
    return new String(raw, StandardCharsets.UTF_8);
  }
}
