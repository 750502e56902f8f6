package dev.trendlake.transforms.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record that did not make it into silver, with everything needed to find and fix it: the file
 * and line it came from, the rule it broke and the original bytes.
 *
 * @param kind {@code statistics} or {@code categories}: the quarantine folder it belongs in
 * @param region lower-case region, or {@code unknown} when the file has none
 * @param sourceFile the file, relative to the bronze root
 * @param line 1-based line on which the record starts
 * @param reason the first rule the record broke
 * @param detail a human sentence: which field, which value, what was expected
 * @param raw the record's original bytes
 */
public record Rejected(
    String kind,
    String region,
    String sourceFile,
    long line,
    Reason reason,
    String detail,
    byte[] raw) {

  public static final String STATISTICS = "statistics";
  public static final String CATEGORIES = "categories";

  public String rawText() {
    return new String(raw, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rejected r
        && line == r.line
        && kind.equals(r.kind)
        && region.equals(r.region)
        && sourceFile.equals(r.sourceFile)
        && reason == r.reason
        && detail.equals(r.detail)
        && Arrays.equals(raw, r.raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, region, sourceFile, line, reason, detail);
  }

  @Override
  public String toString() {
    return "Rejected[" + reason + " " + sourceFile + ":" + line + " " + detail + "]";
  }
}
