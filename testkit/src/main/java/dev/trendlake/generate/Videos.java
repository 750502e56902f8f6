package dev.trendlake.generate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Makes the videos of one segment: their fixed text and how their counts will grow. */
final class Videos {
  private final BronzeGenerator gen;
  private final SplittableRandom rng;
  private final List<String> local;
  private final boolean kaggle;

  Videos(BronzeGenerator gen, SplittableRandom rng, List<String> local, boolean kaggle) {
    this.gen = gen;
    this.rng = rng;
    this.local = local;
    this.kaggle = kaggle;
  }

  Video newVideo(LocalDate firstDay) {
    Video v = new Video();
    v.id = Vocabulary.videoId(gen.videoSerial++);
    v.title = title();
    v.channelTitle = Vocabulary.words(rng, local, 1 + rng.nextInt(3));
    v.channelId = Vocabulary.channelId(rng);
    v.categoryId = BronzeGenerator.CATEGORY_IDS[rng.nextInt(BronzeGenerator.CATEGORY_IDS.length)];
    v.published = firstDay.atStartOfDay().minusSeconds(3600 + rng.nextInt(70 * 3600));
    int nTags = rng.nextInt(100) < 8 ? 0 : 1 + rng.nextInt(24);
    List<String> tags = new ArrayList<>(nTags);
    for (int t = 0; t < nTags; t++) {
      tags.add(Vocabulary.words(rng, local, 1 + rng.nextInt(3)));
    }
    v.tags = tags;
    v.tagStyle = rng.nextInt(2);
    v.description = description();
    v.views0 = 1000 + (long) Math.exp(8 + rng.nextDouble() * 8);
    v.growth = 0.05 + rng.nextDouble() * 0.6;
    v.likeRatio = 0.005 + rng.nextDouble() * 0.06;
    v.dislikeRatio = rng.nextDouble() * 0.004;
    v.commentRatio = rng.nextDouble() * 0.01;
    v.commentsDisabled = rng.nextInt(100) < 2;
    v.ratingsDisabled = rng.nextInt(100) < 2;
    v.hiddenLikes = !kaggle && rng.nextInt(100) < 5;
    v.remaining = Math.min(30, 1 + (int) (-Math.log(1 - rng.nextDouble()) * 5));
    return v;
  }

  private String title() {
    String t = Vocabulary.words(rng, local, 3 + rng.nextInt(9));
    int r = rng.nextInt(10);
    if (r == 0) {
      return t + ", " + Vocabulary.words(rng, local, 2);
    }
    if (r == 1) {
      return t + " | \"" + Vocabulary.words(rng, local, 2) + "\"";
    }
    return t;
  }

  /** About a kilobyte of lines: sentences, links, hashtags; empty for a few videos. */
  private String description() {
    if (rng.nextInt(100) < 4) {
      return "";
    }
    int lines = 3 + rng.nextInt(12);
    // Kaggle files mostly carry the two characters \n; the API real line breaks
    String sep =
        kaggle ? (rng.nextInt(10) < 8 ? "\\n" : "\n") : (rng.nextInt(10) < 7 ? "\n" : "\r\n");
    StringBuilder sb = new StringBuilder(1200);
    for (int l = 0; l < lines; l++) {
      if (l > 0) {
        sb.append(sep);
        if (rng.nextInt(4) == 0) {
          sb.append(sep);
        }
      }
      int r = rng.nextInt(10);
      if (r == 0) {
        sb.append(Vocabulary.pick(rng, Vocabulary.ENGLISH))
            .append(": https://www.youtube.com/channel/")
            .append(Vocabulary.channelId(rng));
      } else if (r == 1) {
        sb.append("#")
            .append(Vocabulary.pick(rng, Vocabulary.ENGLISH))
            .append(" #")
            .append(Vocabulary.pick(rng, local));
      } else {
        sb.append(Vocabulary.words(rng, local, 6 + rng.nextInt(22)));
        sb.append(rng.nextInt(3) == 0 ? "!" : ".");
      }
    }
    return sb.toString();
  }
}
