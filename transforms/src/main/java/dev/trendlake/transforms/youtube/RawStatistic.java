package dev.trendlake.transforms.youtube;

import java.util.Arrays;
import java.util.Objects;

/**
 * A statistics CSV record that parsed into the right number of fields, before any cleaning rule.
 *
 * @param sourceFile the file, relative to the bronze root (so a local and an S3 run agree)
 * @param region lower-case region from the nearest {@code region=<xx>} folder
 * @param line 1-based line on which the record starts
 * @param values one value per {@link TrendingColumns#SOURCES} entry, in that order, null where the
 *     file's layout has no such column
 * @param raw the record's original bytes
 */
public record RawStatistic(
    String sourceFile, String region, long line, String[] values, byte[] raw) {

  @Override
  public boolean equals(Object o) {
    return o instanceof RawStatistic r
        && line == r.line
        && sourceFile.equals(r.sourceFile)
        && region.equals(r.region)
        && Arrays.equals(values, r.values)
        && Arrays.equals(raw, r.raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sourceFile, region, line, Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "RawStatistic[" + sourceFile + ":" + line + " " + Arrays.toString(values) + "]";
  }
}
