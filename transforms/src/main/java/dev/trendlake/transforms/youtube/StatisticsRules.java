package dev.trendlake.transforms.youtube;

import dev.trendlake.transforms.model.Reason;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The cleaning rules of the contract, as pure functions: every runner and every re-run must agree,
 * so nothing here depends on the clock, the locale or the time zone.
 *
 * <p>Rules are checked in contract order and the first one broken is the record's reason: video_id,
 * trending_date, publish_time, category_id, counts, booleans. Values are trimmed before they are
 * checked; text fields are not trimmed, only their line ends normalised, and an empty text field is
 * null (as Spark, DuckDB and Athena read an empty CSV field).
 */
public final class StatisticsRules {
  private StatisticsRules() {}

  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

  /**
   * The rules, in contract order: the first rule a record breaks is its quarantine reason. Columns
   * under the same rule are checked in schema order. The last three never fail.
   */
  public enum Rule {
    VIDEO_ID,
    TRENDING_DATE,
    TIMESTAMP,
    CATEGORY_ID,
    COUNT,
    BOOLEAN,
    TEXT,
    TRIMMED,
    TAGS
  }

  /** The sources in the order their rules run. */
  private static final TrendingColumns.Source[] ORDERED =
      TrendingColumns.SOURCES.stream()
          .sorted(Comparator.comparing(TrendingColumns.Source::rule))
          .toArray(TrendingColumns.Source[]::new);

  /** The index of each ordered source in {@link TrendingColumns#SOURCES}. */
  private static final int[] ORDERED_INDEX =
      Arrays.stream(ORDERED).mapToInt(TrendingColumns.SOURCES::indexOf).toArray();

  /** The result of cleaning one record: exactly one of row and rejected is set. */
  public record Outcome(Row row, Rejected rejected) {
    static Outcome fail(RawStatistic s, Reason reason, String detail) {
      return new Outcome(
          null,
          new Rejected(
              Rejected.STATISTICS, s.region(), s.sourceFile(), s.line(), reason, detail, s.raw()));
    }
  }

  /** Applies every rule to one parsed record. */
  public static Outcome clean(RawStatistic s) {
    Object[] v = new Object[TrendingColumns.SCHEMA.size()];
    v[TrendingColumns.REGION.index()] = s.region();
    for (int i = 0; i < ORDERED.length; i++) {
      TrendingColumns.Source src = ORDERED[i];
      Col<?> c = src.col();
      String field = s.values()[ORDERED_INDEX[i]];
      Object value;
      switch (src.rule()) {
        case VIDEO_ID -> {
          String id = trim(field);
          if (id == null || !isVideoId(id)) {
            return Outcome.fail(
                s,
                Reason.INVALID_VIDEO_ID,
                c.name() + " " + quote(id) + " is not 11 characters of A-Z a-z 0-9 _ -");
          }
          value = id;
        }
        case TRENDING_DATE -> {
          LocalDate date = trendingDate(field);
          if (date == null) {
            return Outcome.fail(
                s,
                Reason.INVALID_TRENDING_DATE,
                c.name()
                    + " "
                    + quote(field)
                    + " is neither yy.dd.mm nor an ISO-8601 date or timestamp");
          }
          value = (int) date.toEpochDay();
        }
        case TIMESTAMP -> {
          value = timestampMicros(field);
          if (value == null) {
            return Outcome.fail(
                s,
                Reason.INVALID_PUBLISH_TIME,
                c.name().replace('_', ' ') + " " + quote(field) + " is not an ISO-8601 timestamp");
          }
        }
        case CATEGORY_ID -> {
          value = integer(field);
          if (value == null) {
            return Outcome.fail(
                s,
                Reason.INVALID_CATEGORY_ID,
                c.name() + " " + quote(field) + " is not an integer");
          }
        }
        case COUNT -> {
          value = count(field);
          boolean hidden = c.nullable() && (field == null || isEmpty(field));
          if (value == null && !hidden) {
            return Outcome.fail(
                s,
                Reason.INVALID_COUNT,
                c.name()
                    + " "
                    + quote(field)
                    + " is not an integer >= 0"
                    + (c.nullable() ? "" : " (" + c.name() + " are required)"));
          }
        }
        case BOOLEAN -> {
          value = bool(field);
          if (value == null && !(field == null && c.nullable())) {
            return Outcome.fail(
                s, Reason.INVALID_BOOLEAN, c.name() + " " + quote(field) + " is not true or false");
          }
        }
        case TEXT -> value = orNull(text(field));
        case TRIMMED -> value = orNull(trim(field));
        case TAGS -> value = tags(field);
        default -> throw new IllegalStateException("no rule " + src.rule());
      }
      v[c.index()] = value;
    }
    v[TrendingColumns.SOURCE_FILE.index()] = s.sourceFile();
    v[TrendingColumns.SOURCE_LINE.index()] = s.line();
    return new Outcome(new Row(v, s.raw().length), null);
  }

  /** [A-Za-z0-9_-]{11}, without a regex (one per record). */
  static boolean isVideoId(String id) {
    if (id.length() != 11) {
      return false;
    }
    for (int i = 0; i < 11; i++) {
      char c = id.charAt(i);
      if (!(c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '_'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * An empty text field is null, as Spark, DuckDB, awswrangler and Athena read an empty CSV field:
   * "no description" is the same in every engine that reads gold.
   */
  static String orNull(String v) {
    return v == null || v.isEmpty() ? null : v;
  }

  static boolean isEmpty(String v) {
    return v != null && v.isBlank();
  }

  static String trim(String v) {
    return v == null ? null : v.strip();
  }

  static String quote(String v) {
    if (v == null) {
      return "(missing)";
    }
    String shown = v.length() > 60 ? v.substring(0, 60) + "..." : v;
    return "'" + shown + "'";
  }

  /**
   * {@code yy.dd.mm} (Kaggle) means 20yy-mm-dd; an ISO-8601 timestamp means its UTC date; a plain
   * ISO date is that date. Null when none applies or the date does not exist.
   */
  public static LocalDate trendingDate(String value) {
    return IsoDates.trendingDate(trim(value));
  }

  /**
   * An ISO-8601 timestamp with seconds (fraction and zone optional; no zone means UTC), as
   * microseconds since the epoch. Null when the text is not one or names an impossible instant.
   */
  public static Long timestampMicros(String value) {
    return IsoDates.timestampMicros(trim(value));
  }

  /** An integer (sign allowed) that fits in 64 bits, or null. */
  public static Long integer(String value) {
    String v = trim(value);
    if (v == null || !INTEGER.matcher(v).matches()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A count: digits only (no sign, no separators, no exponent) that fit in 64 bits, or null. */
  public static Long count(String value) {
    String v = trim(value);
    if (v == null || v.isEmpty()) {
      return null;
    }
    // [0-9]+ without a regex: counts are the bulk of the fields checked
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code true} or {@code false} in any case, or null. */
  public static Boolean bool(String value) {
    String v = trim(value);
    if (v == null) {
      return null;
    }
    if (v.equalsIgnoreCase("true")) {
      return Boolean.TRUE;
    }
    if (v.equalsIgnoreCase("false")) {
      return Boolean.FALSE;
    }
    return null;
  }

  /**
   * Tags: split on {@code |}, each trimmed, stripped of surrounding double quotes and trimmed
   * again, empties dropped; {@code [none]} in any case is the empty list. This reads both the early
   * Kaggle form {@code "a"|"b"} and the later {@code "a|""b"""}.
   */
  public static List<String> tags(String value) {
    if (value == null) {
      return Collections.emptyList();
    }
    String v = value.strip();
    if (v.isEmpty() || v.equalsIgnoreCase("[none]")) {
      return Collections.emptyList();
    }
    // each tag's bounds are found in place, so a tag costs one substring instead of four
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start <= v.length()) {
      int bar = v.indexOf('|', start);
      int end = bar < 0 ? v.length() : bar;
      int a = skipBlanks(v, start, end);
      int b = skipBlanksBack(v, a, end);
      while (a < b && v.charAt(a) == '"') {
        a++;
      }
      while (b > a && v.charAt(b - 1) == '"') {
        b--;
      }
      a = skipBlanks(v, a, b);
      b = skipBlanksBack(v, a, b);
      if (a < b) {
        out.add(v.substring(a, b));
      }
      if (bar < 0) {
        break;
      }
      start = bar + 1;
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The first position in [a, b) that is not white space as {@link String#strip} sees it (no white
   * space character is a surrogate, so char by char is code point by code point), or b.
   */
  private static int skipBlanks(String v, int a, int b) {
    while (a < b && Character.isWhitespace(v.charAt(a))) {
      a++;
    }
    return a;
  }

  /** The end of [a, b) without its trailing white space. */
  private static int skipBlanksBack(String v, int a, int b) {
    while (b > a && Character.isWhitespace(v.charAt(b - 1))) {
      b--;
    }
    return b;
  }

  /**
   * Text: the two characters {@code \n} become a line break; CRLF and lone CR become LF. Null stays
   * null (the column is absent from the file's layout).
   */
  public static String text(String value) {
    if (value == null) {
      return null;
    }
    int cr = value.indexOf('\r');
    int bs = value.indexOf('\\');
    if (cr < 0 && bs < 0) {
      return value;
    }
    // the runs between the characters to rewrite move in bulk, in place, within one char array
    // (indexOf, toCharArray, arraycopy and the String constructor are vectorised; a
    // StringBuilder appends a String's range one character at a time)
    int n = value.length();
    char[] c = value.toCharArray();
    int w = 0;
    int from = 0;
    while (cr >= 0 || bs >= 0) {
      int i = cr < 0 ? bs : bs < 0 ? cr : Math.min(cr, bs);
      if (i == cr) {
        System.arraycopy(c, from, c, w, i - from);
        w += i - from;
        c[w++] = '\n';
        from = i + 1 < n && c[i + 1] == '\n' ? i + 2 : i + 1;
        cr = value.indexOf('\r', from);
        if (bs >= 0 && bs < from) {
          bs = value.indexOf('\\', from);
        }
      } else {
        if (i + 1 < n && c[i + 1] == 'n') {
          System.arraycopy(c, from, c, w, i - from);
          w += i - from;
          c[w++] = '\n';
          from = i + 2;
        }
        bs = value.indexOf('\\', i + 1);
        if (bs >= 0 && bs < from) {
          bs = value.indexOf('\\', from);
        }
      }
    }
    System.arraycopy(c, from, c, w, n - from);
    return new String(c, 0, w + n - from);
  }
}
