package dev.trendlake.transforms.youtube;

import static dev.trendlake.transforms.youtube.TrendingColumns.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.trendlake.transforms.model.Reason;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.Test;

public class StatisticsRulesTest {

  static RawStatistic record(Object... pairs) {
    String[] v = new String[SOURCES.size()];
    v[source(VIDEO_ID)] = "2kyS6SvSYSE";
    v[source(TRENDING_DATE)] = "17.14.11";
    v[source(TITLE)] = "title";
    v[source(CHANNEL_TITLE)] = "channel";
    v[source(CATEGORY_ID)] = "22";
    v[source(PUBLISH_TIME)] = "2017-11-13T17:13:01.000Z";
    v[source(TAGS)] = "a|b";
    v[source(VIEWS)] = "10";
    v[source(LIKES)] = "2";
    v[source(DISLIKES)] = "1";
    v[source(COMMENT_COUNT)] = "3";
    v[source(COMMENTS_DISABLED)] = "False";
    v[source(RATINGS_DISABLED)] = "False";
    v[source(VIDEO_ERROR_OR_REMOVED)] = "False";
    v[source(DESCRIPTION)] = "d";
    for (int i = 0; i < pairs.length; i += 2) {
      v[source((Col<?>) pairs[i])] = (String) pairs[i + 1];
    }
    return new RawStatistic(
        "raw_statistics/region=us/f.csv", "us", 2, v, "raw".getBytes(StandardCharsets.UTF_8));
  }

  /** The index of a column's CSV source. */
  static int source(Col<?> c) {
    for (int i = 0; i < SOURCES.size(); i++) {
      if (SOURCES.get(i).col() == c) {
        return i;
      }
    }
    throw new IllegalArgumentException(c + " is not read from the CSV");
  }

  static Reason reasonOf(Object... pairs) {
    StatisticsRules.Outcome o = StatisticsRules.clean(record(pairs));
    return o.rejected() == null ? null : o.rejected().reason();
  }

  @Test
  public void goodRecordBecomesATypedRow() {
    Row r = StatisticsRules.clean(record()).row();
    assertEquals("us", r.get(REGION));
    assertEquals((int) LocalDate.of(2017, 11, 14).toEpochDay(), (int) r.get(TRENDING_DATE));
    assertEquals(Long.valueOf(22), r.get(CATEGORY_ID));
    assertEquals(Long.valueOf(1510593181000000L), r.get(PUBLISH_TIME));
    assertEquals(List.of("a", "b"), r.get(TAGS));
    assertEquals(Long.valueOf(10), r.get(VIEWS));
    assertEquals(Long.valueOf(2), r.get(LIKES));
    assertEquals(Boolean.FALSE, r.get(VIDEO_ERROR_OR_REMOVED));
    assertEquals("raw_statistics/region=us/f.csv", r.get(SOURCE_FILE));
  }

  @Test
  public void videoId() {
    assertNull(reasonOf(VIDEO_ID, " 2kyS6SvSYSE "));
    assertEquals(Reason.INVALID_VIDEO_ID, reasonOf(VIDEO_ID, "#NAME?"));
    assertEquals(Reason.INVALID_VIDEO_ID, reasonOf(VIDEO_ID, "2kyS6SvSYS"));
    assertEquals(Reason.INVALID_VIDEO_ID, reasonOf(VIDEO_ID, "2kyS6SvSYSE1"));
    assertEquals(Reason.INVALID_VIDEO_ID, reasonOf(VIDEO_ID, "2kyS6Sv.YSE"));
    assertEquals(Reason.INVALID_VIDEO_ID, reasonOf(VIDEO_ID, ""));
  }

  @Test
  public void trendingDate() {
    assertEquals(LocalDate.of(2018, 6, 14), StatisticsRules.trendingDate("18.14.06"));
    assertEquals(LocalDate.of(2020, 8, 12), StatisticsRules.trendingDate("2020-08-12T00:00:00Z"));
    assertEquals(
        LocalDate.of(2020, 8, 13), StatisticsRules.trendingDate("2020-08-12T23:30:00-02:00"));
    assertEquals(LocalDate.of(2020, 8, 12), StatisticsRules.trendingDate("2020-08-12"));
    for (String bad :
        new String[] {
          "17.32.11", "17.14.13", "18.30.02", "xx.14.11", "", "17/14/11", "1714.11", "17.1.11"
        }) {
      assertEquals(bad, Reason.INVALID_TRENDING_DATE, reasonOf(TRENDING_DATE, bad));
    }
  }

  @Test
  public void publishTime() {
    assertEquals(Long.valueOf(0L), StatisticsRules.timestampMicros("1970-01-01T00:00:00Z"));
    assertEquals(Long.valueOf(0L), StatisticsRules.timestampMicros("1970-01-01T01:00:00+01:00"));
    assertEquals(Long.valueOf(1_500L), StatisticsRules.timestampMicros("1970-01-01T00:00:00.0015"));
    for (String bad :
        new String[] {
          "2017-13-45T10:00:00.000Z",
          "not a date",
          "",
          "13/11/2017 17:13",
          "2017-11-13T25:61:00.000Z",
          "2017-11-31T10:00:00.000Z",
          "2017-11-13T10:00Z"
        }) {
      assertEquals(bad, Reason.INVALID_PUBLISH_TIME, reasonOf(PUBLISH_TIME, bad));
    }
  }

  @Test
  public void categoryId() {
    assertNull(reasonOf(CATEGORY_ID, " 24 "));
    for (String bad : new String[] {"abc", "1.5", "", "NaN", "2x4", "24 music"}) {
      assertEquals(bad, Reason.INVALID_CATEGORY_ID, reasonOf(CATEGORY_ID, bad));
    }
  }

  @Test
  public void counts() {
    for (String bad :
        new String[] {
          "-5", "1.5e3", "abc", "12,345", "NaN", "0x1F", "+-3", "99999999999999999999"
        }) {
      assertEquals(bad, Reason.INVALID_COUNT, reasonOf(LIKES, bad));
      assertEquals(bad, Reason.INVALID_COUNT, reasonOf(VIEWS, bad));
    }
    // empty likes, dislikes, comment_count are null (the API hides them); empty views is not
    // allowed
    Row r = StatisticsRules.clean(record(LIKES, "", DISLIKES, "", COMMENT_COUNT, " ")).row();
    assertNull(r.get(LIKES));
    assertNull(r.get(DISLIKES));
    assertNull(r.get(COMMENT_COUNT));
    assertEquals(Reason.INVALID_COUNT, reasonOf(VIEWS, ""));
  }

  @Test
  public void booleans() {
    assertNull(reasonOf(COMMENTS_DISABLED, "TRUE", RATINGS_DISABLED, "true"));
    for (String bad : new String[] {"yes", "no", "1", "0", "", "T", "Fals", "truee"}) {
      assertEquals(bad, Reason.INVALID_BOOLEAN, reasonOf(RATINGS_DISABLED, bad));
      assertEquals(bad, Reason.INVALID_BOOLEAN, reasonOf(VIDEO_ERROR_OR_REMOVED, bad));
    }
    // the optional column absent from the file's layout is null, not an error
    assertNull(
        StatisticsRules.clean(record(VIDEO_ERROR_OR_REMOVED, null))
            .row()
            .get(VIDEO_ERROR_OR_REMOVED));
  }

  @Test
  public void firstBrokenRuleWins() {
    assertEquals(
        Reason.INVALID_VIDEO_ID, reasonOf(VIDEO_ID, "bad", TRENDING_DATE, "x", VIEWS, "-1"));
    assertEquals(Reason.INVALID_TRENDING_DATE, reasonOf(TRENDING_DATE, "x", PUBLISH_TIME, "y"));
    assertEquals(Reason.INVALID_CATEGORY_ID, reasonOf(CATEGORY_ID, "x", VIEWS, "-1"));
    assertEquals(Reason.INVALID_COUNT, reasonOf(VIEWS, "x", COMMENTS_DISABLED, "y"));
  }

  @Test
  public void rejectedCarriesDetailAndRaw() {
    var rej = StatisticsRules.clean(record(VIEWS, "-5")).rejected();
    assertEquals("views '-5' is not an integer >= 0 (views are required)", rej.detail());
    assertEquals("raw", rej.rawText());
    assertEquals(2, rej.line());
  }

  @Test
  public void tags() {
    assertEquals(List.of("tag1", "tag2", "tag3"), StatisticsRules.tags("tag1|\"tag2\"|\"tag3\""));
    assertEquals(List.of("tag1", "tag2"), StatisticsRules.tags("tag1|\"tag2\""));
    assertEquals(List.of(), StatisticsRules.tags("[none]"));
    assertEquals(List.of(), StatisticsRules.tags(" [None] "));
    assertEquals(List.of("a", "b c"), StatisticsRules.tags(" a || \" b c \" |"));
    assertEquals(List.of(), StatisticsRules.tags(""));
    assertEquals(List.of(), StatisticsRules.tags(null));
  }

  @Test
  public void emptyTextFieldsAreNull() {
    Row r = StatisticsRules.clean(record(DESCRIPTION, "", TITLE, "", THUMBNAIL_LINK, " ")).row();
    assertNull(r.get(DESCRIPTION));
    assertNull(r.get(TITLE));
    assertNull(r.get(THUMBNAIL_LINK));
    assertEquals(" ", StatisticsRules.clean(record(DESCRIPTION, " ")).row().get(DESCRIPTION));
  }

  @Test
  public void textNormalisesLineEnds() {
    assertEquals("a\nb\nc\nd", StatisticsRules.text("a\\nb\r\nc\rd"));
    assertEquals("keep \\t and \\", StatisticsRules.text("keep \\t and \\"));
    assertNull(StatisticsRules.text(null));
    assertTrue(
        StatisticsRules.text("plain") == "plain" || StatisticsRules.text("plain").equals("plain"));
  }

  /**
   * The rule in its plainest form, one character at a time: the bulk-copying version must agree.
   */
  private static String textReference(String v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\r') {
        sb.append('\n');
        if (i + 1 < v.length() && v.charAt(i + 1) == '\n') {
          i++;
        }
      } else if (c == '\\' && i + 1 < v.length() && v.charAt(i + 1) == 'n') {
        sb.append('\n');
        i++;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  @Test
  public void textAgreesWithTheCharacterByCharacterRuleOnRandomInput() {
    java.util.Random random = new java.util.Random(7);
    char[] alphabet = {'a', 'n', '\\', '\r', '\n', '\u00e9', '\u65e5'};
    for (int k = 0; k < 20_000; k++) {
      char[] c = new char[random.nextInt(12)];
      for (int i = 0; i < c.length; i++) {
        c[i] = alphabet[random.nextInt(alphabet.length)];
      }
      String v = new String(c);
      assertEquals(textReference(v), StatisticsRules.text(v));
    }
  }
}
