package dev.trendlake.pipeline.commit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RunTally;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;

public class QuarantineMetricsTest {
  private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

  private static FileTally.Builder stats(
      RunTally.Builder t, String path, String region, long records, long silver, long dup) {
    return t.file(path, "statistics")
        .region(region)
        .records(records)
        .silver(silver)
        .duplicates(dup);
  }

  /** "Metric/Region" -> value, in the order the datums come. */
  private static Map<String, Double> byKey(List<MetricDatum> datums) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (MetricDatum d : datums) {
      assertEquals(1, d.dimensions().size());
      assertEquals("Region", d.dimensions().get(0).name());
      assertEquals(AT, d.timestamp());
      m.put(d.metricName() + "/" + d.dimensions().get(0).value(), d.value());
    }
    return m;
  }

  @Test
  public void ratioAndCountsPerRegionAndForAllRegions() {
    RunTally.Builder t = RunTally.builder();
    stats(t, "bronze/raw_statistics/region=ca/a.csv", "ca", 100, 90, 5).quarantined("bad_views", 5);
    stats(t, "bronze/raw_statistics/region=ca/b.csv", "ca", 100, 100, 0);
    FileTally.Builder us = stats(t, "bronze/raw_statistics/region=us/a.csv", "us", 50, 40, 0);
    us.quarantined("bad_views", 6);
    us.quarantined("wrong_field_count", 4);
    // categories files have their own quarantine and must not move the statistics ratio
    FileTally.Builder cat =
        t.file("bronze/raw_statistics_reference_data/US_category_id.json", "categories")
            .region("us")
            .records(10);
    cat.quarantined("bad_category", 10);

    Map<String, Double> m = byKey(QuarantineMetrics.datums(t.build(), AT));

    assertEquals(200.0, m.get("Records/ca"), 0);
    assertEquals(190.0, m.get("Silver/ca"), 0);
    assertEquals(5.0, m.get("Quarantined/ca"), 0);
    assertEquals(5.0, m.get("Duplicates/ca"), 0);
    assertEquals(5.0 / 200, m.get("QuarantineRatio/ca"), 1e-12);
    assertEquals(50.0, m.get("Records/us"), 0);
    assertEquals(10.0, m.get("Quarantined/us"), 0);
    assertEquals(0.2, m.get("QuarantineRatio/us"), 1e-12);
    assertEquals(250.0, m.get("Records/ALL"), 0);
    assertEquals(15.0, m.get("Quarantined/ALL"), 0);
    assertEquals(15.0 / 250, m.get("QuarantineRatio/ALL"), 1e-12);
    assertEquals(
        0.0, t.build().files().get("bronze/raw_statistics/region=ca/b.csv").quarantinedTotal(), 0);
    assertThat(
        List.copyOf(m.keySet()),
        contains(
            "Records/ALL",
            "Silver/ALL",
            "Quarantined/ALL",
            "Duplicates/ALL",
            "QuarantineRatio/ALL",
            "Records/ca",
            "Silver/ca",
            "Quarantined/ca",
            "Duplicates/ca",
            "QuarantineRatio/ca",
            "Records/us",
            "Silver/us",
            "Quarantined/us",
            "Duplicates/us",
            "QuarantineRatio/us"));
  }

  @Test
  public void noRatioWhenARegionHadNoRecords() {
    RunTally.Builder t = RunTally.builder();
    stats(t, "bronze/raw_statistics/region=fr/empty.csv", "fr", 0, 0, 0);
    Map<String, Double> m = byKey(QuarantineMetrics.datums(t.build(), AT));
    assertEquals(0.0, m.get("Records/fr"), 0);
    assertThat(m.keySet(), not(hasItem("QuarantineRatio/fr")));
    assertThat(m.keySet(), not(hasItem("QuarantineRatio/ALL")));
  }

  @Test
  public void fileWithoutARegionCountsAsUnknown() {
    RunTally.Builder t = RunTally.builder();
    stats(t, "bronze/raw_statistics/x.csv", null, 4, 0, 0).quarantined("no_region", 4);
    Map<String, Double> m = byKey(QuarantineMetrics.datums(t.build(), AT));
    assertEquals(1.0, m.get("QuarantineRatio/unknown"), 0);
  }

  @Test
  public void publishSplitsTheDatumsIntoRequestsOfTwenty() {
    RunTally.Builder t = RunTally.builder();
    for (String region : List.of("ca", "de", "fr", "gb", "in", "jp", "kr", "mx")) {
      stats(t, "bronze/raw_statistics/region=" + region + "/a.csv", region, 10, 9, 0)
          .quarantined("bad_views", 1);
    }
    List<MetricDatum> datums = QuarantineMetrics.datums(t.build(), AT);
    assertEquals(45, datums.size()); // (8 regions + ALL) x 5 metrics
    List<PutMetricDataRequest> sent = new ArrayList<>();
    CloudWatchClient client =
        (CloudWatchClient)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {CloudWatchClient.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("putMetricData")
                      && args[0] instanceof PutMetricDataRequest r) {
                    sent.add(r);
                    return PutMetricDataResponse.builder().build();
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    QuarantineMetrics.publish(client, "Trendlake", datums);
    assertEquals(List.of(20, 20, 5), sent.stream().map(r -> r.metricData().size()).toList());
    assertThat(
        sent.stream().map(PutMetricDataRequest::namespace).distinct().toList(),
        contains("Trendlake"));
    List<MetricDatum> all = new ArrayList<>();
    sent.forEach(r -> all.addAll(r.metricData()));
    assertEquals(datums, all);
  }

  @Test
  public void namespaceIsCheckedBeforeTheRun() {
    assertThat(QuarantineMetrics.namespaceProblems(null), empty());
    assertThat(QuarantineMetrics.namespaceProblems("Trendlake/Prod"), empty());
    assertEquals(1, QuarantineMetrics.namespaceProblems("AWS/States").size());
    assertEquals(1, QuarantineMetrics.namespaceProblems("bad namespace!").size());
    assertEquals(1, QuarantineMetrics.namespaceProblems("").size());
  }
}
