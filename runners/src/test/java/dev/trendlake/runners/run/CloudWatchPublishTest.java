package dev.trendlake.runners.run;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.runners.CliRun;
import dev.trendlake.testkit.AwsApiRecorder;
import dev.trendlake.testkit.TestWarehouse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 17, finding 8: the run's quarantine metrics go to CloudWatch after the commit; when
 * CloudWatch refuses them the data stays committed, the summary says the metrics were not
 * published, and the run exits {@link RunSession#METRICS_NOT_PUBLISHED}, so the scheduler's failure
 * alarm fires instead of the quarantine alarms staying silent.
 */
public class CloudWatchPublishTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private AwsApiRecorder cloudWatch;

  @Before
  public void start() throws Exception {
    cloudWatch = new AwsApiRecorder();
    System.setProperty("aws.endpointUrlCloudWatch", cloudWatch.endpoint().toString());
    System.setProperty("aws.region", "us-east-1");
    System.setProperty("aws.accessKeyId", "AKIDCLOUDWATCHTEST");
    System.setProperty("aws.secretAccessKey", "cloudwatch-test-secret");
  }

  @After
  public void stop() {
    cloudWatch.close();
    for (String p :
        List.of(
            "aws.endpointUrlCloudWatch", "aws.region", "aws.accessKeyId", "aws.secretAccessKey")) {
      System.clearProperty(p);
    }
  }

  private CliRun run(Path output) {
    return CliRun.run(
        "--input=" + TestWarehouse.bronze(),
        "--output=" + output,
        "--warehouse=none",
        "--cloudWatchNamespace=Trendlake",
        "--enforceEncodability=false",
        "--enforceImmutability=false");
  }

  private static JsonNode manifest(Path output) throws Exception {
    return new ObjectMapper().readTree(output.resolve("_manifests/latest.json").toFile());
  }

  @Test
  public void publishedMetricsAreTheManifestsCounts() throws Exception {
    Path output = tmp.newFolder("ok").toPath();
    CliRun r = run(output);
    assertEquals(r.all(), 0, r.status());
    assertThat(r.out(), containsString("metrics     published to CloudWatch namespace Trendlake"));
    List<AwsApiRecorder.Call> calls = cloudWatch.calls("cloudwatch:PutMetricData");
    assertThat(calls.size(), org.hamcrest.Matchers.greaterThan(0));
    Map<String, String> first = calls.get(0).params();
    assertEquals("Trendlake", first.get("Namespace"));
    assertEquals("Records", first.get("MetricData.member.1.MetricName"));
    assertEquals("ALL", first.get("MetricData.member.1.Dimensions.member.1.Value"));
    assertEquals(
        manifest(output).path("totals").path("records").asDouble(),
        Double.parseDouble(first.get("MetricData.member.1.Value")),
        0.0);
  }

  @Test
  public void aRefusedPublishIsSaidAndGivesItsOwnExitStatusAfterTheCommit() throws Exception {
    cloudWatch.refuse("monitoring");
    Path output = tmp.newFolder("refused").toPath();
    CliRun r = run(output);
    assertEquals(r.all(), RunSession.METRICS_NOT_PUBLISHED, r.status());
    assertThat(
        r.out(), containsString("metrics     NOT published to CloudWatch namespace Trendlake"));
    assertThat(r.out(), containsString("exit status 4"));
    assertEquals("succeeded", manifest(output).path("status").asText());
    assertThat(
        cloudWatch.calls("cloudwatch:PutMetricData").size(), org.hamcrest.Matchers.greaterThan(0));
    assertThat(r.all(), not(containsString("cloudwatch-test-secret")));
  }
}
