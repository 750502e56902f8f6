package dev.trendlake.testkit;

import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic gold partitions for the warehouse benchmark and tests: realistic shapes (ten
 * regions, 200 videos a day per region, channels shared across regions, some hidden counts), no
 * files needed.
 */
public final class SyntheticGold {
  private SyntheticGold() {}

  private static final String[] REGIONS = {
    "us", "gb", "ca", "de", "fr", "in", "jp", "kr", "mx", "ru"
  };

  /**
   * About {@code rows} rows in partitions of {@code perPartition} rows, dates from 2017-11-14 on.
   */
  public static List<Partition> partitions(int rows, int perPartition) {
    SplittableRandom rnd = new SplittableRandom(42);
    int start = (int) LocalDate.of(2017, 11, 14).toEpochDay();
    List<Partition> out = new ArrayList<>();
    int made = 0;
    for (int day = 0; made < rows; day++) {
      for (String region : REGIONS) {
        if (made >= rows) {
          break;
        }
        int n = Math.min(perPartition, rows - made);
        List<Row> part = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          // a video trends for ~7 days: ids shift slowly with the day
          int video = (day / 7) * perPartition + i;
          part.add(
              row(
                  region,
                  start + day,
                  "v" + Integer.toString(video, 36) + region.charAt(0),
                  video,
                  rnd));
        }
        part.sort(
            (a, b) -> a.get(TrendingColumns.VIDEO_ID).compareTo(b.get(TrendingColumns.VIDEO_ID)));
        out.add(
            new Partition(
                "region=" + region + "/trending_date=" + LocalDate.ofEpochDay(start + day),
                region,
                part));
        made += n;
      }
    }
    return out;
  }

  public static Row row(
      String region, int epochDay, String videoId, int seed, SplittableRandom rnd) {
    int channel = seed % 5000;
    boolean hidden = rnd.nextInt(20) == 0;
    return TrendingRows.of(
        region,
        epochDay,
        videoId,
        "Video " + videoId + " \"quoted\"\ttab\nline",
        "Channel " + channel,
        channel % 2 == 0 ? "UC" + Integer.toString(channel, 36) : null,
        10 + channel % 20,
        1_510_000_000_000_000L + seed * 1_000_000L,
        List.of("tag" + seed % 7, "tag|" + seed % 3, "ünï\\cödé"),
        rnd.nextLong(1, 50_000_000),
        hidden ? null : rnd.nextLong(0, 1_000_000),
        hidden ? null : rnd.nextLong(0, 100_000),
        hidden ? null : rnd.nextLong(0, 100_000),
        "https://i.ytimg.com/vi/" + videoId + "/default.jpg",
        rnd.nextInt(50) == 0,
        hidden,
        rnd.nextInt(100) == 0 ? Boolean.TRUE : (region.equals("us") ? Boolean.FALSE : null),
        "description",
        "synthetic/" + region + ".csv",
        seed,
        ("raw," + videoId).getBytes(StandardCharsets.UTF_8).length,
        "Music");
  }
}
