package dev.trendlake.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
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
