package dev.trendlake.runners.s3;

import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.pipeline.s3.TrendlakeS3ClientFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.util.InstanceBuilder;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * Before any work starts on S3, one small S3 client outside the graph (same endpoint, region,
 * credentials and addressing as the workers, but at most three retries, so a dead store is reported
 * in seconds) lists the input's {@code raw_statistics/} and the output prefix, and writes then
 * deletes one empty object in the run's staging folder. Wrong credentials, a missing bucket, a
 * wrong region, missing permissions or an unreachable store become one message naming the endpoint
 * and the bucket ({@link S3Errors}).
 */
public final class S3Preflight {
  private S3Preflight() {}

  /** The store can't be used as configured; the message says why and what to do. */
  public static final class Unusable extends RuntimeException {
    public Unusable(String message) {
      super(message);
    }
  }

  /** {@code s3://bucket/prefix} split; {@code prefix} has no leading or trailing slash. */
  public record Location(String bucket, String prefix) {
    public static Location of(String uri) {
      String rest = uri.substring("s3://".length());
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String prefix = slash < 0 ? "" : rest.substring(slash + 1);
      while (prefix.endsWith("/")) {
        prefix = prefix.substring(0, prefix.length() - 1);
      }
      return new Location(bucket, prefix);
    }

    /** {@code prefix/relative}, or {@code relative} at the bucket root. */
    public String key(String relative) {
      return prefix.isEmpty() ? relative : prefix + "/" + relative;
    }
  }

  /**
   * Checks that the input can be listed and holds bronze data, and that the output can be listed,
   * written and deleted. Throws {@link Unusable} with every problem found.
   *
   * <p>{@code mainFolder}: the dataset's bronze folder, which must hold an object; {@code
   * emptyInputAllowed}: an input with no bronze yet is fine (a continuous run watches it for the
   * first files), only its listing must work.
   */
  public static void check(
      S3StoreOptions o,
      String input,
      String output,
      String runId,
      String mainFolder,
      boolean emptyInputAllowed) {
    String endpoint = S3Region.describeEndpoint(o);
    List<String> problems = new ArrayList<>();
    S3Client s3;
    try {
      s3 = client(o);
    } catch (SdkException e) {
      throw new Unusable(S3Errors.explain(e, endpoint, null, "open an S3 client"));
    }
    try (s3) {
      if (StorePaths.isS3(input)) {
        Location in = Location.of(input);
        String what = "list the bronze input " + input + " (--input)";
        try {
          ListObjectsV2Response r =
              s3.listObjectsV2(
                  ListObjectsV2Request.builder()
                      .bucket(in.bucket())
                      .prefix(in.key(mainFolder + "/"))
                      .maxKeys(1)
                      .build());
          if (r.contents().isEmpty() && !emptyInputAllowed) {
            problems.add(
                "--input "
                    + input
                    + " has no "
                    + mainFolder
                    + "/ objects at "
                    + endpoint
                    + ": is it a bronze root?");
          }
        } catch (SdkException e) {
          problems.add(S3Errors.explain(e, endpoint, in.bucket(), what));
          if (S3Errors.storeWide(e)) {
            throw new Unusable(String.join("\n  ", problems));
          }
        }
      }
      if (StorePaths.isS3(output)) {
        Location out = Location.of(output);
        String probe = out.key("_staging/" + runId + "/_preflight");
        String step = "list the output " + output + " (--output)";
        try {
          s3.listObjectsV2(
              ListObjectsV2Request.builder()
                  .bucket(out.bucket())
                  .prefix(out.key(""))
                  .maxKeys(1)
                  .build());
          step = "write s3://" + out.bucket() + "/" + probe + " (a test object under --output)";
          s3.putObject(b -> b.bucket(out.bucket()).key(probe), RequestBody.empty());
          step = "delete s3://" + out.bucket() + "/" + probe + " (a test object under --output)";
          s3.deleteObject(b -> b.bucket(out.bucket()).key(probe));
        } catch (SdkException e) {
          problems.add(S3Errors.explain(e, endpoint, out.bucket(), step));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new Unusable(String.join("\n  ", problems));
    }
  }

  /** A client for launch-side checks and housekeeping: at most three retries. */
  public static S3Client client(S3StoreOptions o) {
    Class<? extends S3ClientBuilderFactory> factory = o.getS3ClientFactoryClass();
    if (factory == null || TrendlakeS3ClientFactory.class.equals(factory)) {
      return TrendlakeS3ClientFactory.builder(
              o, o.getS3PathStyleAccess(), Math.min(3, o.getS3MaxRetries()))
          .build();
    }
    return InstanceBuilder.ofType(S3ClientBuilderFactory.class)
        .fromClass(factory)
        .build()
        .createBuilder(o)
        .build();
  }
}
