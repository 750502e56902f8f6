package dev.trendlake.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.pipeline.commit.CommitMetrics;
import dev.trendlake.pipeline.commit.QuarantineMetrics;
import dev.trendlake.testkit.AwsApiRecorder;
import dev.trendlake.testkit.iam.Iam;
import dev.trendlake.testkit.iam.TerraformIam;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A continuous job with {@code --cloudWatchNamespace} publishes, after each commit, the quality
 * counts of the files the commit took in, one {@code Commits} datum and {@code FilesCommitted},
 * which terraform's no-commit alarm watches; the Managed Flink role may make those calls. When
 * CloudWatch refuses them, every commit still happens and the job ends normally, with a warning.
 */
public class ContinuousCloudWatchTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String SECRET = "continuous-cloudwatch-secret";

  private AwsApiRecorder cloudWatch;

  @Before
  public void start() throws Exception {
    cloudWatch = new AwsApiRecorder();
    System.setProperty("aws.endpointUrlCloudWatch", cloudWatch.endpoint().toString());
    System.setProperty("aws.region", "us-east-1");
    System.setProperty("aws.accessKeyId", "AKIDCONTINUOUSCW");
    System.setProperty("aws.secretAccessKey", SECRET);
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

  private static JsonNode latest(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("_manifests/latest.json").toFile());
  }

  /** The sum of one metric's values over every call, for these dimensions. */
  private static double sum(List<AwsApiRecorder.Datum> datums, String name, Map<String, String> d) {
    return datums.stream()
        .filter(x -> x.name().equals(name) && x.dimensions().equals(d))
        .mapToDouble(AwsApiRecorder.Datum::value)
        .sum();
  }

  @Test
  public void everyCommitPublishesOneCommitsDatumAndTheCountsOfItsFiles() throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("continuous").toPath();
    ContinuousJob job =
        ContinuousJob.start(
            a,
            out,
            "--runId=cont-metrics",
            "--cloudWatchNamespace=Trendlake",
            "--watchInterval=PT1S",
            "--commitDelay=PT1S",
            "--stopWhenIdle=PT3S");
    for (int i = 0; i < ContinuousRunTest.WAVES.size(); i++) {
      job.awaitCommitted(a, ContinuousRunTest.arrive(a, i), 240);
    }
    CliRun r = job.awaitEnd(240);
    assertThat(r.all(), not(containsString(SECRET)));

    List<JsonNode> commits = ContinuousJob.commits(out, "cont-metrics");
    List<AwsApiRecorder.Call> calls = cloudWatch.calls("cloudwatch:PutMetricData");
    List<AwsApiRecorder.Datum> datums = new ArrayList<>();
    for (AwsApiRecorder.Call c : calls) {
      assertEquals("Trendlake", c.params().get("Namespace"));
      datums.addAll(c.metricData());
    }
    List<AwsApiRecorder.Datum> commitDatums =
        datums.stream().filter(d -> d.name().equals(CommitMetrics.COMMITS)).toList();
    assertEquals("one Commits datum per commit", commits.size(), commitDatums.size());
    for (AwsApiRecorder.Datum d : commitDatums) {
      assertEquals(new AwsApiRecorder.Datum(CommitMetrics.COMMITS, 1, Map.of()), d);
    }

    // every statistics file is taken in by exactly one commit: the sums are the lake's
    JsonNode state = latest(out);
    long statisticsFiles = 0;
    for (JsonNode f : state.path("files")) {
      if (f.path("kind").asText().equals("statistics")) {
        statisticsFiles++;
      }
    }
    assertThat(statisticsFiles, greaterThan(3L));
    assertEquals(statisticsFiles, sum(datums, CommitMetrics.FILES_COMMITTED, Map.of()), 0);
    Map<String, String> all = Map.of(QuarantineMetrics.REGION, QuarantineMetrics.ALL_REGIONS);
    assertEquals(
        state.path("totals").path("records").asDouble(),
        sum(datums, QuarantineMetrics.RECORDS, all),
        0);
    assertEquals(
        state.path("totals").path("quarantined").asDouble(),
        sum(datums, QuarantineMetrics.QUARANTINED, all),
        0);

    // the Managed Flink application's role may publish them (terraform/iam.tf)
    TerraformIam iam = TerraformIam.load(TerraformIam.defaultDir());
    List<String> denied = new ArrayList<>();
    for (AwsApiRecorder.Call c : calls) {
      Iam.Request req =
          new Iam.Request(
              c.iamAction(),
              "*",
              Map.of(
                  "cloudwatch:namespace",
                  c.params().get("Namespace").equals("Trendlake")
                      ? "var.metrics_namespace"
                      : c.params().get("Namespace")));
      Iam.Decision d = Iam.decide(iam.role("managed_flink"), List.of(), req);
      if (d != Iam.Decision.ALLOWED) {
        denied.add(d + ": " + req);
      }
    }
    assertThat("managed_flink", denied, empty());
  }

  @Test
  public void aRefusedPublishLeavesEveryCommitInPlaceAndIsLogged() throws Exception {
    cloudWatch.refuse("monitoring");
    PrintStream err = System.err;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new Tee(err, logged), true, StandardCharsets.UTF_8));
    try {
      Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
      Path out = tmp.newFolder("continuous").toPath();
      ContinuousJob job =
          ContinuousJob.start(
              a,
              out,
              "--runId=cont-refused",
              "--cloudWatchNamespace=Trendlake",
              "--watchInterval=PT1S",
              "--commitDelay=PT1S",
              "--stopWhenIdle=PT3S");
      for (int i = 0; i < 2; i++) {
        job.awaitCommitted(a, ContinuousRunTest.arrive(a, i), 240);
      }
      CliRun r = job.awaitEnd(240);
      List<JsonNode> commits = ContinuousJob.commits(out, "cont-refused");
      for (JsonNode c : commits) {
        assertEquals(c.path("run_id").asText(), "succeeded", c.path("status").asText());
      }
      assertThat(
          "each commit tried",
          cloudWatch.calls("cloudwatch:PutMetricData").size(),
          org.hamcrest.Matchers.greaterThanOrEqualTo(commits.size()));
      String log = logged.toString(StandardCharsets.UTF_8);
      assertThat(
          log,
          containsString(
              "is in the lake, but its metrics could not be published to CloudWatch namespace"
                  + " Trendlake"));
      assertThat(log + r.all(), not(containsString(SECRET)));
    } finally {
      System.setErr(err);
    }
  }

  /** Writes to both streams: the test reads the log lines and they still reach the console. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }
  }
}
