package dev.trendlake.transforms.youtube;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The date and timestamp forms of the cleaning rules ({@link StatisticsRules}), on trimmed text.
 * Pure functions: nothing depends on the clock, the locale or the time zone.
 */
final class IsoDates {
  private IsoDates() {}

  private static final Pattern KAGGLE_DATE =
      Pattern.compile("([0-9]{2})\\.([0-9]{2})\\.([0-9]{2})");
  private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  /** ISO-8601 date-time with seconds, optional fraction and optional zone (none means UTC). */
  private static final Pattern ISO_TIMESTAMP =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?");

  /**
   * {@code yy.dd.mm} (Kaggle) means 20yy-mm-dd; an ISO-8601 timestamp means its UTC date; a plain
   * ISO date is that date. Null when none applies or the date does not exist.
   */
  static LocalDate trendingDate(String v) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      var m = KAGGLE_DATE.matcher(v);
      if (m.matches()) {
        return LocalDate.of(
            2000 + Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(3)),
            Integer.parseInt(m.group(2)));
      }
      if (ISO_DATE.matcher(v).matches()) {
        return LocalDate.parse(v, DateTimeFormatter.ISO_LOCAL_DATE);
      }
      Long micros = timestampMicros(v);
      if (micros != null) {
        return LocalDate.ofEpochDay(Math.floorDiv(micros, 86_400_000_000L));
      }
    } catch (DateTimeException | NumberFormatException e) {
      return null;
    }
    return null;
  }

  /**
   * An ISO-8601 timestamp with seconds (fraction and zone optional; no zone means UTC), as
   * microseconds since the epoch. Null when the text is not one or names an impossible instant.
   */
  static Long timestampMicros(String v) {
    if (v == null || !ISO_TIMESTAMP.matcher(v).matches()) {
      return null;
    }
    // the pattern fixed every position: read the fields in place (java.time's parser costs as
    // much as the rest of a record's rules); the checks are java.time's STRICT ISO ones
    int n = v.length();
    int p = 19;
    long nanos = 0;
    if (p < n && v.charAt(p) == '.') {
      int digits = 0;
      for (p++; p < n && v.charAt(p) >= '0' && v.charAt(p) <= '9'; p++, digits++) {
        nanos = nanos * 10 + (v.charAt(p) - '0');
      }
      for (; digits < 9; digits++) {
        nanos *= 10;
      }
    }
    long offsetSeconds = 0;
    if (p < n && v.charAt(p) != 'Z') {
      int minutes = digits(v, p + 4, 2);
      offsetSeconds = (v.charAt(p) == '-' ? -1 : 1) * (digits(v, p + 1, 2) * 3600L + minutes * 60L);
      if (minutes > 59 || Math.abs(offsetSeconds) > 18 * 3600) {
        return null;
      }
    }
    try {
      LocalDate date = LocalDate.of(digits(v, 0, 4), digits(v, 5, 2), digits(v, 8, 2));
      long seconds =
          date.toEpochDay() * 86_400L
              + digits(v, 11, 2) * 3600L
              + digits(v, 14, 2) * 60L
              + digits(v, 17, 2)
              - offsetSeconds;
      // as ChronoUnit.MICROS.between(EPOCH, instant): exact nanoseconds, truncated towards zero
      return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos) / 1000L;
    } catch (DateTimeException | ArithmeticException e) {
      return null;
    }
  }

  /** The decimal number of {@code len} ASCII digits at {@code at} (the caller matched them). */
  private static int digits(String v, int at, int len) {
    int x = 0;
    for (int i = at; i < at + len; i++) {
      x = x * 10 + (v.charAt(i) - '0');
    }
    return x;
  }
}
