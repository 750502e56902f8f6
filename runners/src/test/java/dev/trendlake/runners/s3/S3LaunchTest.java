package dev.trendlake.runners.s3;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.pipeline.config.RunConfigValidator;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.pipeline.s3.TrendlakeS3ClientFactory;
import dev.trendlake.runners.cli.RunCommand;
import dev.trendlake.runners.run.BeamOptions;
import dev.trendlake.testkit.TestWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The S3 launch defaults and their checks, without a server. */
public class S3LaunchTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private RunConfig config(String... extra) {
    String[] base = {
      "--input=" + TestWarehouse.bronze(),
      "--output=s3://lake/out",
      "--runner=DirectRunner",
      "--awsRegion=us-east-1"
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return RunCommand.parse(all);
  }

  private S3StoreOptions beam(String... extra) {
    return BeamOptions.create(config(extra)).as(S3StoreOptions.class);
  }

  @Test
  public void defaultsAreAppliedWhereTheUserSetNothing() {
    S3StoreOptions o = beam("--s3PathStyleAccess=true");
    assertEquals(8 << 20, (int) o.getS3UploadBufferSizeBytes());
    assertEquals(TrendlakeS3ClientFactory.class, o.getS3ClientFactoryClass());
    assertEquals(10, o.getS3MaxRetries());
    assertEquals(true, o.getS3PathStyleAccess());
  }

  @Test
  public void whatTheUserSetIsKept() {
    S3StoreOptions o = beam("--s3UploadBufferSizeBytes=16777216", "--s3MaxRetries=3");
    assertEquals(16 << 20, (int) o.getS3UploadBufferSizeBytes());
    assertEquals(3, o.getS3MaxRetries());
  }

  @Test
  public void badValuesAreReportedInUserWordsAllAtOnce() {
    RunConfigValidator.InvalidOptions e =
        assertThrows(
            RunConfigValidator.InvalidOptions.class,
            () -> config("--s3UploadBufferSizeBytes=1024", "--s3MaxRetries=-1"));
    assertEquals(2, e.problems().size());
    assertThat(e.problems(), hasItem(containsString("at least 5242880")));
    assertThat(
        e.problems(), hasItem(containsString("--s3MaxRetries takes a whole number, 0 or more")));
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

  private static AwsOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(AwsOptions.class);
  }

  private void settlesTheRegion() {
    System.clearProperty("aws.region");
    software.amazon.awssdk.regions.Region found = S3Region.regionWithoutMetadataService();
    String outside = found == null ? null : found.id();
    String[] args = {};
    AwsOptions o = parse(args);
    S3Region.settle(o, args, false, false);
    // the environment or a profile answers at once and wins; otherwise a fixed region, no lookup
    assertEquals(outside == null ? S3Region.NO_S3_REGION : outside, o.getAwsRegion().id());
    if (outside == null) {
      // Beam's copies of default options find it too, without the metadata service
      assertEquals(S3Region.NO_S3_REGION, System.getProperty("aws.region"));
    }
    // the user's region always wins, with or without S3
    String[] given = {"--awsRegion=eu-west-1"};
    for (boolean usesS3 : new boolean[] {false, true}) {
      System.clearProperty("aws.region");
      AwsOptions g = parse(given);
      S3Region.settle(g, given, usesS3, false);
      assertEquals("eu-west-1", g.getAwsRegion().id());
    }
    // but it names the buckets' region, so CloudWatch or Secrets Manager keep resolving their own
    System.clearProperty("aws.region");
    AwsOptions m = parse("--awsRegion=minio");
    S3Region.settle(m, new String[] {"--awsRegion=minio"}, true, true);
    assertEquals("minio", m.getAwsRegion().id());
    assertEquals(null, System.getProperty("aws.region"));
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
    String factory = "--s3ClientFactoryClass=" + OwnFactory.class.getName();
    RunConfigValidator.InvalidOptions e =
        assertThrows(
            RunConfigValidator.InvalidOptions.class,
            () -> beam("--s3PathStyleAccess=true", factory));
    assertThat(e.problems(), hasItem(containsString(factory)));
    assertEquals(OwnFactory.class, beam(factory).getS3ClientFactoryClass());
  }

  @Test
  public void endpointsAreShownWithoutUserInfo() {
    assertEquals(
        "http://minio.local:9000",
        S3Region.describeEndpoint(
            parse("--endpoint=http://user:pass@minio.local:9000", "--awsRegion=us-east-1")
                .as(S3Options.class)));
    assertEquals(
        "AWS S3 (region eu-west-1)",
        S3Region.describeEndpoint(parse("--awsRegion=eu-west-1").as(S3Options.class)));
    assertEquals("AWS S3 (region us-east-1)", config().endpointShown());
  }

  @Test
  public void helpExplainsS3InUserWords() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunCommand.run(
        new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(help, containsString("--s3PathStyleAccess=true|false"));
    assertThat(help, containsString("S3 and S3-compatible stores"));
    assertThat(help, containsString("--endpoint=http://localhost:9000"));
    assertThat(help, containsString("never put a key on the command line"));
  }
}
