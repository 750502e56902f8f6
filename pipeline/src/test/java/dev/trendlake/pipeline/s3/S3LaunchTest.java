package dev.trendlake.pipeline.s3;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.junit.Assert.assertEquals;

import dev.trendlake.pipeline.TrendlakeOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The S3 launch defaults and their checks, without a server. */
public class S3LaunchTest {

  private static TrendlakeOptions parse(String... args) {
    PipelineOptionsFactory.register(TrendlakeOptions.class);
    return PipelineOptionsFactory.fromArgs(args).as(TrendlakeOptions.class);
  }

  @Test
  public void defaultsAreAppliedWhereTheUserSetNothing() {
    String[] args = {"--s3PathStyleAccess=true"};
    TrendlakeOptions o = parse(args);
    assertThat(S3Launch.apply(o, args), empty());
    assertEquals(8 << 20, (int) o.getS3UploadBufferSizeBytes());
    assertEquals(TrendlakeS3ClientFactory.class, o.getS3ClientFactoryClass());
    assertEquals(10, o.getS3MaxRetries());
  }

  @Test
  public void aRunWithoutS3GetsARegionWithoutAskingTheMetadataService() {
    String before = System.getProperty("aws.region");
    try {
      settlesTheRegion();
    } finally {
      if (before == null) {
        System.clearProperty("aws.region");
      } else {
        System.setProperty("aws.region", before);
      }
    }
  }

  private void settlesTheRegion() {
    System.clearProperty("aws.region");
    software.amazon.awssdk.regions.Region found = S3Launch.regionWithoutMetadataService();
    String outside = found == null ? null : found.id();
    String[] args = {};
    TrendlakeOptions o = parse(args);
    S3Launch.settleRegion(o, args, false, false);
    // the environment or a profile answers at once and wins; otherwise a fixed region, no lookup
    assertEquals(outside == null ? S3Launch.NO_S3_REGION : outside, o.getAwsRegion().id());
    if (outside == null) {
      // Beam's copies of default options find it too, without the metadata service
      assertEquals(S3Launch.NO_S3_REGION, System.getProperty("aws.region"));
    }
    // the user's region always wins, with or without S3
    String[] given = {"--awsRegion=eu-west-1"};
    for (boolean usesS3 : new boolean[] {false, true}) {
      System.clearProperty("aws.region");
      TrendlakeOptions g = parse(given);
      S3Launch.settleRegion(g, given, usesS3, false);
      assertEquals("eu-west-1", g.getAwsRegion().id());
    }
    // but it names the buckets' region, so CloudWatch or Secrets Manager keep resolving their own
    System.clearProperty("aws.region");
    TrendlakeOptions m = parse("--awsRegion=minio");
    S3Launch.settleRegion(m, new String[] {"--awsRegion=minio"}, true, true);
    assertEquals("minio", m.getAwsRegion().id());
    assertEquals(null, System.getProperty("aws.region"));
  }

  @Test
  public void whatTheUserSetIsKept() {
    String[] args = {"--s3UploadBufferSizeBytes=16777216", "--s3MaxRetries=3"};
    TrendlakeOptions o = parse(args);
    assertThat(S3Launch.apply(o, args), empty());
    assertEquals(16 << 20, (int) o.getS3UploadBufferSizeBytes());
    assertEquals(3, o.getS3MaxRetries());
  }

  @Test
  public void badValuesAreReportedInUserWords() {
    String[] args = {"--s3UploadBufferSizeBytes=1024", "--s3MaxRetries=-1"};
    List<String> problems = S3Launch.apply(parse(args), args);
    assertEquals(2, problems.size());
    assertThat(problems.get(0), containsString("at least 5242880"));
    assertThat(problems.get(1), containsString("--s3MaxRetries must be 0 or more"));
  }

  /** A user's own factory: path style can't be honoured, so say so rather than ignore it. */
  public static class OwnFactory implements S3ClientBuilderFactory {
    @Override
    public S3ClientBuilder createBuilder(S3Options options) {
      return software.amazon.awssdk.services.s3.S3Client.builder();
    }
  }

  @Test
  public void pathStyleWithTheUsersOwnFactoryIsAProblem() {
    String[] args = {
      "--s3PathStyleAccess=true", "--s3ClientFactoryClass=" + OwnFactory.class.getName()
    };
    TrendlakeOptions o = parse(args);
    assertThat(
        S3Launch.apply(o, args),
        contains(containsString("--s3ClientFactoryClass=" + OwnFactory.class.getName())));
    String[] plain = {"--s3ClientFactoryClass=" + OwnFactory.class.getName()};
    TrendlakeOptions p = parse(plain);
    assertThat(S3Launch.apply(p, plain), empty());
    assertEquals(OwnFactory.class, p.getS3ClientFactoryClass());
  }

  @Test
  public void endpointsAreShownWithoutUserInfo() {
    TrendlakeOptions o =
        parse("--endpoint=http://user:pass@minio.local:9000", "--awsRegion=us-east-1");
    assertEquals("http://minio.local:9000", S3Launch.describeEndpoint(o));
    assertEquals(
        "AWS S3 (region eu-west-1)", S3Launch.describeEndpoint(parse("--awsRegion=eu-west-1")));
  }

  @Test
  public void helpExplainsS3InUserWords() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    dev.trendlake.pipeline.TrendlakeMain.run(
        new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(help, containsString("--s3PathStyleAccess=true"));
    assertThat(help, containsString("MinIO example"));
    assertThat(help, containsString("--endpoint=http://localhost:9000"));
    assertThat(help, containsString("AWS_ACCESS_KEY_ID"));
  }
}
