package dev.trendlake.ingest;

import java.util.List;

/**
 * What ingesting one TMDB list (or the genre list) did: its outcome, how much it fetched, the files
 * it wrote (relative to the bronze root) and, unless it succeeded, why not.
 *
 * @param name the list ({@code popular}, {@code trending}, {@code airing_today}) or {@code genres}
 * @param records shows (genres for the genre list) in the well-formed pages written
 * @param pages well-formed pages written
 */
public record ListResult(
    String name,
    RegionResult.Status status,
    int records,
    int pages,
    List<String> written,
    String message) {

  public boolean ok() {
    return status == RegionResult.Status.OK;
  }

  static ListResult notFetched(String name, String why) {
    return new ListResult(name, RegionResult.Status.NOT_FETCHED, 0, 0, List.of(), why);
  }
}
