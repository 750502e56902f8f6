package dev.trendlake.ingest;

import java.util.List;

/**
 * What ingesting one region did: its outcome, how much it fetched, the files it wrote (relative to
 * the bronze root) and, unless it succeeded, why not.
 *
 * @param videos records written to the region's statistics CSV (0 when none was written)
 * @param pages well-formed {@code videos.list} pages converted
 * @param categories categories in the reference file written, or -1 when none was written
 */
public record RegionResult(
    String region,
    Status status,
    int videos,
    int pages,
    int categories,
    List<String> written,
    String message) {

  public enum Status {
    OK("ok"),
    FAILED("failed"),
    QUOTA_EXCEEDED("quota exceeded"),
    NOT_FETCHED("not fetched");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public boolean ok() {
    return status == Status.OK;
  }

  static RegionResult notFetched(String region, String why) {
    return new RegionResult(region, Status.NOT_FETCHED, 0, 0, -1, List.of(), why);
  }
}
