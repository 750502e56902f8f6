package dev.trendlake.generate;

import java.time.LocalDateTime;
import java.util.List;

/** One video: its fixed text and how its counts grow over the days it trends. */
final class Video {
  String id;
  String title;
  String channelTitle;
  String channelId;
  int categoryId;
  LocalDateTime published;
  List<String> tags;
  int tagStyle; // Kaggle: 0 plain a|b, 1 early "a"|"b"
  String description;
  long views0;
  double growth;
  double likeRatio;
  double dislikeRatio;
  double commentRatio;
  boolean commentsDisabled;
  boolean ratingsDisabled;
  boolean hiddenLikes;
  int remaining;
  int day;
  int lastDay = -1;
}
