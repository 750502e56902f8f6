package dev.trendlake.pipeline.commit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.trendlake.testkit.AwsApiRecorder;
import dev.trendlake.transforms.tally.RunTally;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * A continuous commit's CloudWatch metrics: the quality counts of the files it took in, then {@code
 * Commits} and {@code FilesCommitted} without dimensions; a publish CloudWatch refuses is counted
 * in {@code metrics_publish_failed} and does not throw, so the commit stands.
 */
public class CommitMetricsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

  private AwsApiRecorder cloudWatch;

  @Before
  public void start() throws Exception {
    cloudWatch = new AwsApiRecorder();
    System.setProperty("aws.endpointUrlCloudWatch", cloudWatch.endpoint().toString());
    System.setProperty("aws.region", "us-east-1");
    System.setProperty("aws.accessKeyId", "AKIDCOMMITMETRICS");
    System.setProperty("aws.secretAccessKey", "commit-metrics-secret");
  }

  @After
  public void stop() {
    cloudWatch.close();
    for (String k :
        List.of(
            "aws.endpointUrlCloudWatch", "aws.region", "aws.accessKeyId", "aws.secretAccessKey")) {
      System.clearProperty(k);
    }
  }

  static RunTally read() {
    RunTally.Builder t = RunTally.builder();
    t.file("bronze/raw_statistics/region=ca/a.csv", "statistics")
        .region("ca")
        .records(10)
        .silver(8)
        .quarantined("bad_views", 2);
    t.file("bronze/raw_statistics/region=us/a.csv", "statistics").region("us").records(5).silver(5);
    return t.build();
  }

  @Test
  public void theQualityCountsOfTheFilesReadThenCommitsAndFilesCommitted() {
    List<MetricDatum> d = CommitMetrics.datums(read(), 2, AT);
    assertEquals(QuarantineMetrics.datums(read(), AT), d.subList(0, d.size() - 2));
    MetricDatum commits = d.get(d.size() - 2);
    MetricDatum files = d.get(d.size() - 1);
    assertEquals(CommitMetrics.COMMITS, commits.metricName());
    assertEquals(1.0, commits.value(), 0);
    assertTrue(commits.dimensions().isEmpty());
    assertEquals(CommitMetrics.FILES_COMMITTED, files.metricName());
    assertEquals(2.0, files.value(), 0);
    assertTrue(files.dimensions().isEmpty());
    assertEquals(AT, files.timestamp());
  }

  /** Publishes once from inside a pipeline, where Beam counters count. */
  static final class PublishFn extends DoFn<Integer, Integer> {
    @ProcessElement
    public void process(@Element Integer files) {
      try (CommitMetrics m = new CommitMetrics("Trendlake")) {
        m.publish("job.00001", read(), files);
      }
    }
  }

  private long counter(PipelineResult r, String name) {
    long n = 0;
    for (MetricResult<Long> c :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(StreamingCommit.class, name))
                    .build())
            .getCounters()) {
      n += c.getAttempted();
    }
    return n;
  }

  @Test
  public void aPublishedCommitSendsItsDatumsToTheNamespace() {
    p.apply(Create.of(3)).apply(ParDo.of(new PublishFn()));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    assertEquals(1, counter(r, CommitMetrics.PUBLISHED));
    assertEquals(0, counter(r, CommitMetrics.PUBLISH_FAILED));
    List<AwsApiRecorder.Call> calls = cloudWatch.calls("cloudwatch:PutMetricData");
    assertEquals(1, calls.size());
    assertEquals("Trendlake", calls.get(0).params().get("Namespace"));
    List<AwsApiRecorder.Datum> sent = calls.get(0).metricData();
    assertThat(
        sent.subList(sent.size() - 2, sent.size()),
        contains(
            new AwsApiRecorder.Datum(CommitMetrics.COMMITS, 1, java.util.Map.of()),
            new AwsApiRecorder.Datum(CommitMetrics.FILES_COMMITTED, 3, java.util.Map.of())));
  }

  @Test
  public void aRefusedPublishIsCountedAndDoesNotFailTheCommit() {
    cloudWatch.refuse("monitoring");
    p.apply(Create.of(3)).apply(ParDo.of(new PublishFn()));
    PipelineResult r = p.run();
    assertEquals(PipelineResult.State.DONE, r.waitUntilFinish());
    assertEquals(1, counter(r, CommitMetrics.PUBLISH_FAILED));
    assertEquals(0, counter(r, CommitMetrics.PUBLISHED));
    assertThat(cloudWatch.calls("cloudwatch:PutMetricData").size(), not(0));
  }

  @Test
  public void withoutANamespaceNothingIsSent() {
    try (CommitMetrics m = new CommitMetrics(null)) {
      m.publish("job.00001", read(), 2);
    }
    assertTrue(cloudWatch.calls().isEmpty());
  }
}
