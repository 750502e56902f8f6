package dev.trendlake.ingest;

import java.util.Locale;

/**
 * The APIs {@code trendlake ingest} pulls from ({@code --source}): where the key comes from, the
 * real endpoint, and the query parameter the key travels in (so that every echo of it is redacted).
 */
public enum Source {
  YOUTUBE("youtube", "YOUTUBE_API_KEY", "https://www.googleapis.com/youtube/v3", "key"),
  TMDB("tmdb", "TMDB_API_KEY", "https://api.themoviedb.org/3", "api_key");

  private final String option;
  private final String keyEnv;
  private final String defaultBaseUrl;
  private final String keyParam;

  Source(String option, String keyEnv, String defaultBaseUrl, String keyParam) {
    this.option = option;
    this.keyEnv = keyEnv;
    this.defaultBaseUrl = defaultBaseUrl;
    this.keyParam = keyParam;
  }

  /** As written after {@code --source=}. */
  public String option() {
    return option;
  }

  /** The environment variable holding the key when no secret is named. */
  public String keyEnv() {
    return keyEnv;
  }

  public String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  /** The query parameter the key is sent in. */
  public String keyParam() {
    return keyParam;
  }

  /** The source named {@code name} (any case), or null. */
  static Source of(String name) {
    String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    for (Source s : values()) {
      if (s.option.equals(n)) {
        return s;
      }
    }
    return null;
  }
}
