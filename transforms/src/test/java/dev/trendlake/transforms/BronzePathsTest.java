package dev.trendlake.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.trendlake.transforms.youtube.Layout;
import java.util.List;
import org.junit.Test;

public class BronzePathsTest {

  @Test
  public void regionIsTheNearestRegionFolderLowerCased() {
    assertEquals(
        "us", BronzePaths.regionFromFolders("raw_statistics/region=US/ts=202011300000/x.csv"));
    assertEquals(
        "gb", BronzePaths.regionFromFolders("raw_statistics/region=us/sub/Region=GB/x.csv"));
    assertNull(BronzePaths.regionFromFolders("raw_statistics/x/region=us.csv"));
    assertNull(BronzePaths.regionFromFolders("raw_statistics/region=../x.csv"));
  }

  @Test
  public void categoryRegionFromFolderElseFileName() {
    assertEquals(
        "gb",
        BronzePaths.categoryRegion("raw_statistics_reference_data/region=gb/US_category_id.json"));
    assertEquals(
        "us", BronzePaths.categoryRegion("raw_statistics_reference_data/US_category_id.json"));
    assertNull(BronzePaths.categoryRegion("raw_statistics_reference_data/categories.json"));
  }

  @Test
  public void relativize() {
    assertEquals(
        "raw_statistics/a.csv",
        BronzePaths.relativize("/data/bronze", "/data/bronze/raw_statistics/a.csv"));
    assertEquals(
        "raw_statistics/a.csv",
        BronzePaths.relativize("s3://b/p/", "s3://b/p/raw_statistics/a.csv"));
    assertEquals("/elsewhere/a.csv", BronzePaths.relativize("/data/bronze", "/elsewhere/a.csv"));
  }

  @Test
  public void layoutsByHeaderNamesInAnyOrderAndCase() {
    assertEquals(
        Layout.KAGGLE_2017,
        Layout.detect(
            List.of(
                "VIDEO_ID",
                "trending_date",
                "title",
                "channel_title",
                "category_id",
                "publish_time",
                "tags",
                "views",
                "likes",
                "dislikes",
                "comment_count",
                "comments_disabled",
                "ratings_disabled")));
    assertEquals(
        Layout.API_2020,
        Layout.detect(
            List.of(
                "title",
                "video_id",
                "publishedAt",
                "channelId",
                "channelTitle",
                "categoryId",
                "trending_date",
                "tags",
                "view_count",
                "likes",
                "dislikes",
                "comment_count",
                "thumbnail_link",
                "comments_disabled",
                "ratings_disabled",
                "description")));
    assertEquals(Layout.UNKNOWN, Layout.detect(List.of("id", "name")));
    assertEquals(
        List.of("category_id", "channel_title"),
        Layout.KAGGLE_2017.missing(
            List.of(
                "video_id",
                "trending_date",
                "title",
                "publish_time",
                "tags",
                "views",
                "likes",
                "dislikes",
                "comment_count",
                "comments_disabled",
                "ratings_disabled")));
  }
}
