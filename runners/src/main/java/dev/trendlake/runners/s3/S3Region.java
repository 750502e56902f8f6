package dev.trendlake.runners.s3;

import java.net.URI;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.InstanceProfileRegionProvider;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;

/** The AWS region of a run, settled once at launch, and how messages name the store. */
public final class S3Region {
  private S3Region() {}

  /** The region a run that uses no AWS service gets when nothing names one (it is never used). */
  public static final String NO_S3_REGION = "us-east-1";

  /**
   * Settles the AWS region once, at launch. Beam's default for {@code --awsRegion} asks the AWS
   * SDK's region chain: system property, environment, profile, then the EC2 metadata service, which
   * off EC2 waits ~0.9 s to fail. Beam asks again for every copy of the options it makes, and the
   * Flink runner makes copies of <em>default</em> options for its impulses, on the launching
   * thread, the JobManager and each task: 3-4 s of a 10.6 s start-up (JFR, docs/benchmark.md).
   *
   * <p>Nothing changes when the chain answers without the metadata service ({@code aws.region},
   * {@code AWS_REGION}, a profile's region). Otherwise: the user's {@code --awsRegion} wins; a run
   * that uses S3 asks the chain once and keeps the answer (the serialised options carry it to every
   * worker); a run that uses no AWS service needs no region and gets {@value #NO_S3_REGION} without
   * asking. The region settled also becomes this JVM's {@code aws.region}, so that Beam's copies of
   * default options find it, except where it could mislead another AWS client of the run
   * (CloudWatch, Secrets Manager: {@code otherAwsClients}): the user's {@code --awsRegion} names
   * the buckets' region (any string for MinIO), not theirs, so there they keep resolving their own.
   * When the chain has no answer nothing is set, and Beam's S3 client reports it where it is
   * needed.
   */
  public static void settle(AwsOptions o, String[] args, boolean usesS3, boolean otherAwsClients) {
    if (regionWithoutMetadataService() != null) {
      return; // the chain answers at once, for Beam's copies too
    }
    boolean userRegion = isSet(args, "awsRegion");
    Region region = null;
    if (userRegion) {
      region = o.getAwsRegion();
    } else if (!usesS3 && !otherAwsClients) {
      region = Region.of(NO_S3_REGION);
      o.setAwsRegion(region);
    } else {
      try {
        region = new InstanceProfileRegionProvider().getRegion(); // the rest of the chain, once
        o.setAwsRegion(region);
      } catch (SdkClientException e) {
        // no region anywhere: leave Beam's default in place
      }
    }
    if (region != null && !(userRegion && otherAwsClients)) {
      System.setProperty(SdkSystemSetting.AWS_REGION.property(), region.id());
    }
  }

  /**
   * The region the SDK's default chain finds before it reaches the EC2 metadata service ({@code
   * aws.region}, {@code AWS_REGION}, the profile's region), or null.
   */
  static Region regionWithoutMetadataService() {
    try {
      return new AwsRegionProviderChain(
              new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
          .getRegion();
    } catch (SdkClientException e) {
      return null;
    }
  }

  /**
   * Where requests go, for messages: the endpoint without any user info, or AWS S3 and its region.
   */
  public static String describeEndpoint(S3Options o) {
    URI e = o.getEndpoint();
    if (e != null) {
      return e.getScheme()
          + "://"
          + e.getHost()
          + (e.getPort() >= 0 ? ":" + e.getPort() : "")
          + (e.getPath() == null ? "" : e.getPath());
    }
    return "AWS S3" + (o.getAwsRegion() == null ? "" : " (region " + o.getAwsRegion().id() + ")");
  }

  static boolean isSet(String[] args, String name) {
    for (String a : args) {
      if (a.equals("--" + name) || a.startsWith("--" + name + "=")) {
        return true;
      }
    }
    return false;
  }
}
