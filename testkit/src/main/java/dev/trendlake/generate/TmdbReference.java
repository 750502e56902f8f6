package dev.trendlake.generate;

import dev.trendlake.transforms.model.Reason;
import java.util.List;

/**
 * The TMDB values the generated shows are drawn from (genres, countries, languages) and the record
 * rules the generator breaks on purpose: they change when TMDB's vocabulary or the cleaning
 * contract does, not when the generator's layout does.
 */
final class TmdbReference {
  private TmdbReference() {}

  static final long UNKNOWN_GENRE = 10768;

  /** The record rules, in the order they are cycled through. */
  static final List<Reason> BAD_KINDS =
      List.of(
          Reason.INVALID_SHOW_ID,
          Reason.MISSING_NAME,
          Reason.INVALID_POPULARITY,
          Reason.INVALID_VOTE_AVERAGE,
          Reason.INVALID_VOTE_COUNT,
          Reason.INVALID_FIRST_AIR_DATE,
          Reason.INVALID_GENRE_IDS,
          Reason.INVALID_ORIGIN_COUNTRY);

  /** TMDB's TV genres but War &amp; Politics. */
  static final long[] GENRE_IDS = {
    10759, 16, 35, 80, 99, 18, 10751, 10762, 9648, 10763, 10764, 10765, 10766, 10767, 37
  };

  static final String[] GENRE_NAMES = {
    "Action & Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Kids",
    "Mystery",
    "News",
    "Reality",
    "Sci-Fi & Fantasy",
    "Soap",
    "Talk",
    "Western"
  };

  static final String[] COUNTRIES = {"US", "GB", "KR", "JP", "IN", "DE", "FR", "ES", "MX", "BR"};
  static final String[] LANGUAGES = {"en", "en", "ko", "ja", "hi", "de", "fr", "es", "es", "pt"};
}
