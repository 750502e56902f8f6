package dev.trendlake.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

/**
 * The pure parts of ingest: redaction, backoff bounds, the quota reset time, the CSV field rules.
 */
public class IngestPartsTest {

  @Test
  public void redactsTheKeyParameterAndTheKeyAnywhere() {
    Redactor r = new Redactor("k+y/1=");
    assertEquals(
        "https://h/youtube/v3/videos?part=snippet&key=REDACTED&x=1",
        r.redact("https://h/youtube/v3/videos?part=snippet&key=k%2By%2F1%3D&x=1"));
    assertEquals(
        "GET https://h/v?key=REDACTED failed", r.redact("GET https://h/v?key=whatever failed"));
    assertEquals("echo REDACTED and REDACTED", r.redact("echo k+y/1= and k%2By%2F1%3D"));
    byte[] body = "{\"error\":\"bad key k+y/1=\"}".getBytes(StandardCharsets.UTF_8);
    assertTrue(r.leaks(body));
    assertEquals(
        "{\"error\":\"bad key REDACTED\"}", new String(r.redact(body), StandardCharsets.UTF_8));
    byte[] clean = "{}".getBytes(StandardCharsets.UTF_8);
    assertTrue(clean == r.redact(clean)); // untouched: the same array
  }

  @Test
  public void redactsTheKeyInEveryEchoedFormAndLeavesDataAlone() {
    Redactor r = new Redactor("AIza-k/1");
    for (String form :
        List.of(
            "AIza-k/1",
            "AIza-k\\/1",
            "\\u0041\\u0049za-k\\u002f1",
            "%41%49%7a%61%2D%6B%2F%31",
            "AIza-k%2F1",
            "AIza-k%252F1",
            "&#65;&#x49;za-k&#47;1",
            "\\x41Iza-k/1")) {
      assertEquals(form, "x REDACTED y", r.redact("x " + form + " y"));
    }
    assertEquals("u?a=1&key=REDACTED", r.redact("u?a=1&key=theirs"));
    assertEquals(
        "u?a\\u003d1\\u0026key\\u003dREDACTED\\u0026b\\u003d2",
        r.redact("u?a\\u003d1\\u0026key\\u003dtheirs\\u0026b\\u003d2"));
    assertEquals("k: key%3DREDACTED&b=2", r.redact("k: key%3Dtheirs&b=2"));
    assertEquals("monkey=1&apikey=2", r.redact("monkey=1&apikey=2"));
    // an answer is data: only our key goes; an error body loses every key= value
    byte[] data =
        "{\"description\": \"see https://maps/x?key=theirs \u00e9\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertTrue(data == r.redact(data));
    assertEquals(
        "{\"description\": \"see https://maps/x?key=REDACTED \u00e9\"}",
        new String(r.redactAll(data), StandardCharsets.UTF_8));
    // bytes that are no UTF-8 stay as they were; UTF-16 loses the key too
    byte[] odd = {'A', 'I', 'z', 'a', '-', 'k', '/', '1', (byte) 0xFF, 'x'};
    byte[] oddOut = r.redact(odd);
    assertEquals((byte) 0xFF, oddOut[oddOut.length - 2]);
    assertTrue(new String(oddOut, StandardCharsets.ISO_8859_1).startsWith("REDACTED"));
    byte[] utf16 = "k AIza-k/1".getBytes(StandardCharsets.UTF_16LE);
    assertTrue(r.leaks(utf16));
  }

  @Test
  public void tmdbRedactsItsApiKeyParameterAndReadsItsErrorBody() {
    Redactor r = new Redactor("0123abcd", "api_key");
    assertEquals("u?page=2&api_key=REDACTED", r.redact("u?page=2&api_key=theirs"));
    assertEquals("u?api_key\\u003dREDACTED", r.redact("u?api_key\\u003dtheirs"));
    assertEquals("u?key=other&my_api_key=x", r.redact("u?key=other&my_api_key=x"));
    assertEquals("x REDACTED", r.redact("x 0123abcd"));
    ApiError e =
        ApiError.parse(
            401,
            "{\"status_code\":7,\"status_message\":\"Invalid API key: You must be granted a valid key.\",\"success\":false}"
                .getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "HTTP 401 status_code=7: Invalid API key: You must be granted a valid key.", e.describe());
    assertEquals(
        "a JWT is TMDB's read access token, sent as a bearer token",
        null,
        TmdbIngest.credential("eyJ0.eyJ1.c2ln").param());
    assertEquals("api_key", TmdbIngest.credential("0123abcd").param());
    assertThat(TmdbIngest.credential("0123abcd").toString(), not(containsString("0123abcd")));
  }

  @Test
  public void backoffDoublesWithJitterAndStaysBounded() {
    RetryPolicy p = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(1000));
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      long d1 = p.delay(1, null).toMillis();
      long d3 = p.delay(3, null).toMillis();
      long d9 = p.delay(9, null).toMillis();
      assertTrue("retry 1: " + d1, d1 >= 50 && d1 <= 150);
      assertTrue("retry 3: " + d3, d3 >= 200 && d3 <= 600);
      assertTrue("retry 9: " + d9, d9 >= 500 && d9 <= 1000);
      seen.add(d3);
    }
    assertTrue("jitter: the waits differ", seen.size() > 10);
    assertEquals(
        Duration.ofMillis(1000), p.delay(1, Duration.ofSeconds(120))); // Retry-After capped
    assertTrue(p.delay(1, Duration.ofMillis(700)).toMillis() >= 700);
  }

  @Test
  public void quotaResetsAtMidnightPacificWinterAndSummer() {
    assertThat(
        IngestMain.quotaReset(Instant.parse("2026-11-22T10:15:30Z")),
        containsString("2026-11-23 00:00 PST (2026-11-23T08:00:00Z), in 21 h 44 min"));
    assertThat(
        IngestMain.quotaReset(Instant.parse("2026-07-01T06:30:00Z")), // 23:30 PDT on June 30
        containsString("2026-07-01 00:00 PDT (2026-07-01T07:00:00Z), in 0 h 30 min"));
  }

  @Test
  public void itemWithoutStatisticsGivesEmptyCountsAndBothFlags() throws Exception {
    var item =
        new ObjectMapper()
            .readTree("{\"id\":\"abcdefghijk\",\"snippet\":{\"title\":\"t\",\"tags\":[]}}");
    List<String> row = StatisticsCsv.row(item, "2026-11-22T10:15:30Z");
    assertEquals(
        List.of(
            "abcdefghijk",
            "t",
            "",
            "",
            "",
            "",
            "2026-11-22T10:15:30Z",
            "[None]",
            "",
            "",
            "",
            "",
            "",
            "True",
            "True",
            ""),
        row);
  }
}
