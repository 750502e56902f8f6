package dev.trendlake.transforms.model;

/**
 * The logical statistics fields, whatever the layout calls them. A parsed record holds its values
 * in this order, so the cleaning rules never need to know which layout a file used.
 */
public enum Column {
  VIDEO_ID,
  TRENDING_DATE,
  TITLE,
  CHANNEL_TITLE,
  CHANNEL_ID,
  CATEGORY_ID,
  PUBLISH_TIME,
  TAGS,
  VIEWS,
  LIKES,
  DISLIKES,
  COMMENT_COUNT,
  THUMBNAIL_LINK,
  COMMENTS_DISABLED,
  RATINGS_DISABLED,
  VIDEO_ERROR_OR_REMOVED,
  DESCRIPTION;

  private static final Column[] VALUES = values();

  public static int count() {
    return VALUES.length;
  }
}
