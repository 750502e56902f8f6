package dev.trendlake.transforms.youtube;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * The cleaning rules that read text in place against their plainest statements (java.time's STRICT
 * ISO parsers, regular expressions, one substring per step): they must agree on every input.
 */
public class StatisticsRulesReferenceTest {
  private static final Pattern ISO_TIMESTAMP =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?");

  /** The rule as java.time states it. */
  static Long timestampReference(String value) {
    String v = value == null ? null : value.strip();
    if (v == null || !ISO_TIMESTAMP.matcher(v).matches()) {
      return null;
    }
    try {
      char last = v.charAt(v.length() - 1);
      boolean zoned =
          last == 'Z'
              || v.length() > 19
                  && (v.charAt(v.length() - 6) == '+' || v.charAt(v.length() - 6) == '-');
      Instant instant =
          zoned
              ? OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
              : LocalDateTime.parse(v, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                  .toInstant(ZoneOffset.UTC);
      return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    } catch (DateTimeException | ArithmeticException e) {
      return null;
    }
  }

  private static String pick(Random r, String... options) {
    return options[r.nextInt(options.length)];
  }

  @Test
  public void timestampsAgreeWithJavaTime() {
    Random r = new Random(11);
    int valid = 0;
    for (int k = 0; k < 100_000; k++) {
      String v =
          pick(r, "0000", "0001", "1677", "1678", "1969", "1970", "2000", "2018", "2262", "9999")
              + "-"
              + pick(r, "00", "01", "02", "04", "12", "13")
              + "-"
              + pick(r, "00", "01", "28", "29", "30", "31", "32")
              + pick(r, "T", "T", "T", " ", "t")
              + pick(r, "00", "09", "23", "24")
              + ":"
              + pick(r, "00", "59", "60")
              + ":"
              + pick(r, "00", "07", "59", "60")
              + pick(r, "", "", ".", ".0", ".5", ".123", ".000001", ".000000001", ".999999999")
              + pick(
                  r, "", "Z", "Z", "+00:00", "-00:00", "+05:30", "-05:45", "+18:00", "-18:00",
                  "+18:01", "+17:59", "+19:00", "-05:60", "+99:99", "+0530", "z");
      if (r.nextInt(20) == 0) {
        v = " " + v + "\t";
      }
      Long expected = timestampReference(v);
      valid += expected == null ? 0 : 1;
      assertEquals(v, expected, StatisticsRules.timestampMicros(v));
    }
    assertTrue("valid forms were drawn: " + valid, valid > 1_000);
    assertTrue("invalid forms were drawn: " + valid, valid < 99_000);
  }

  private static final Pattern QUOTES = Pattern.compile("^\"+|\"+$");

  /** The rule one step at a time: split, strip, strip quotes, strip, drop the empty ones. */
  static List<String> tagsReference(String value) {
    String v = value == null ? "" : value.strip();
    if (v.equalsIgnoreCase("[none]")) {
      return List.of();
    }
    return Arrays.stream(v.split("\\|", -1))
        .map(t -> QUOTES.matcher(t.strip()).replaceAll("").strip())
        .filter(t -> !t.isEmpty())
        .toList();
  }

  @Test
  public void tagsAgreeWithTheSubstringRule() {
    Random r = new Random(5);
    char[] alphabet = {'a', 'b', ' ', '"', '|', '\t', '\u3000', '\u00a0', '\u00e9', '\ud83d'};
    for (int k = 0; k < 50_000; k++) {
      char[] c = new char[r.nextInt(14)];
      for (int i = 0; i < c.length; i++) {
        c[i] = alphabet[r.nextInt(alphabet.length)];
      }
      String v = new String(c);
      assertEquals(v, tagsReference(v), StatisticsRules.tags(v));
    }
  }

  @Test
  public void videoIdsAgreeWithTheirPattern() {
    Pattern id = Pattern.compile("[A-Za-z0-9_-]{11}");
    Random r = new Random(3);
    String alphabet = "aZ09_-.é #";
    for (int k = 0; k < 50_000; k++) {
      StringBuilder sb = new StringBuilder();
      int n = 9 + r.nextInt(4);
      for (int i = 0; i < n; i++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String v = sb.toString();
      assertEquals(v, id.matcher(v).matches(), StatisticsRules.isVideoId(v));
    }
  }
}
