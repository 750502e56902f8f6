package dev.trendlake.transforms.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A clean, typed statistics row: one video trending in one region on one day. This is the silver
 * record; gold adds the category title.
 *
 * @param trendingDate days since 1970-01-01 (an int, so coders and keys stay cheap)
 * @param publishTimeMicros microseconds since the epoch, UTC
 * @param likes null only where the source left it empty (the API hides hidden counts)
 * @param videoErrorOrRemoved null where the layout has no such column
 * @param sourceFile lineage: the file relative to the bronze root
 * @param sourceLine lineage: the 1-based line where the record starts
 * @param sourceBytes the size of the source record in bytes, which the writer's file sizing counts.
 *     The record's bytes themselves stay behind: carried through the shuffle they were 45% of its
 *     volume (docs/benchmark.md)
 * @param categoryTitle the title joined on (region, category_id) for gold; null before the join and
 *     where the region's categories lack the id. Joined while the row is read, so that the row
 *     crosses the one shuffle already joined (see {@code ReadStatistics#withCategories})
 */
public record TrendingRow(
    String region,
    int trendingDate,
    String videoId,
    String title,
    String channelTitle,
    String channelId,
    long categoryId,
    long publishTimeMicros,
    List<String> tags,
    long views,
    Long likes,
    Long dislikes,
    Long commentCount,
    String thumbnailLink,
    boolean commentsDisabled,
    boolean ratingsDisabled,
    Boolean videoErrorOrRemoved,
    String description,
    String sourceFile,
    long sourceLine,
    int sourceBytes,
    String categoryTitle) {

  /** This row with its category title set (null: unknown for its region). */
  public TrendingRow withCategoryTitle(String joined) {
    return new TrendingRow(
        region,
        trendingDate,
        videoId,
        title,
        channelTitle,
        channelId,
        categoryId,
        publishTimeMicros,
        tags,
        views,
        likes,
        dislikes,
        commentCount,
        thumbnailLink,
        commentsDisabled,
        ratingsDisabled,
        videoErrorOrRemoved,
        description,
        sourceFile,
        sourceLine,
        sourceBytes,
        joined);
  }

  public LocalDate date() {
    return LocalDate.ofEpochDay(trendingDate);
  }

  /** The Hive partition this row is written to: {@code region=<xx>/trending_date=<yyyy-mm-dd>}. */
  public String partition() {
    return partition(region, trendingDate);
  }

  public static String partition(String region, int trendingDate) {
    return "region=" + region + "/trending_date=" + LocalDate.ofEpochDay(trendingDate);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrendingRow r
        && trendingDate == r.trendingDate
        && categoryId == r.categoryId
        && publishTimeMicros == r.publishTimeMicros
        && views == r.views
        && commentsDisabled == r.commentsDisabled
        && ratingsDisabled == r.ratingsDisabled
        && sourceLine == r.sourceLine
        && region.equals(r.region)
        && videoId.equals(r.videoId)
        && Objects.equals(title, r.title)
        && Objects.equals(channelTitle, r.channelTitle)
        && Objects.equals(channelId, r.channelId)
        && tags.equals(r.tags)
        && Objects.equals(likes, r.likes)
        && Objects.equals(dislikes, r.dislikes)
        && Objects.equals(commentCount, r.commentCount)
        && Objects.equals(thumbnailLink, r.thumbnailLink)
        && Objects.equals(videoErrorOrRemoved, r.videoErrorOrRemoved)
        && Objects.equals(description, r.description)
        && sourceFile.equals(r.sourceFile)
        && sourceBytes == r.sourceBytes
        && Objects.equals(categoryTitle, r.categoryTitle);
  }

  @Override
  public int hashCode() {
    return Objects.hash(region, trendingDate, videoId, views, sourceFile, sourceLine);
  }

  @Override
  public String toString() {
    return "TrendingRow["
        + region
        + " "
        + date()
        + " "
        + videoId
        + " views="
        + views
        + " "
        + sourceFile
        + ":"
        + sourceLine
        + "]";
  }
}
