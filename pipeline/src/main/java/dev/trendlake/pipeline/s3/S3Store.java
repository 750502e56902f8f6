package dev.trendlake.pipeline.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.util.InstanceBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The checks and housekeeping around a run whose input or output is on S3, done with one small S3
 * client outside the graph (same endpoint, region, credentials and addressing as the workers, but
 * at most three retries, so a dead store is reported in seconds).
 *
 * <ul>
 *   <li>{@link #check}: before any work starts, list the input's {@code raw_statistics/} and the
 *       output prefix, and write then delete one empty object in the run's staging folder. Wrong
 *       credentials, a missing bucket, a wrong region, missing permissions or an unreachable store
 *       become one message naming the endpoint and the bucket.
 *   <li>{@link #describeFailure}: the same words for an S3 error that ends a run midway.
 *   <li>{@link #removeStaging}: after a failed run, delete what it staged and abort its unfinished
 *       multipart uploads, so a failure leaves nothing behind but the earlier output.
 * </ul>
 *
 * <p>No message ever contains a key: S3's answers for bad credentials are reduced to their error
 * code.
 */
public final class S3Store {
  private S3Store() {}

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
   */
  public static void check(S3StoreOptions o, String input, String output, String runId) {
    String endpoint = S3Launch.describeEndpoint(o);
    List<String> problems = new ArrayList<>();
    S3Client s3;
    try {
      s3 = client(o);
    } catch (SdkException e) {
      throw new Unusable(explain(e, endpoint, null, "open an S3 client"));
    }
    try (s3) {
      if (S3Launch.isS3(input)) {
        Location in = Location.of(input);
        String what = "list the bronze input " + input + " (--input)";
        try {
          ListObjectsV2Response r =
              s3.listObjectsV2(
                  ListObjectsV2Request.builder()
                      .bucket(in.bucket())
                      .prefix(in.key("raw_statistics/"))
                      .maxKeys(1)
                      .build());
          if (r.contents().isEmpty()) {
            problems.add(
                "--input "
                    + input
                    + " has no raw_statistics/ objects at "
                    + endpoint
                    + ": is it a bronze root?");
          }
        } catch (SdkException e) {
          problems.add(explain(e, endpoint, in.bucket(), what));
          if (storeWide(e)) {
            throw new Unusable(String.join("\n  ", problems));
          }
        }
      }
      if (S3Launch.isS3(output)) {
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
          problems.add(explain(e, endpoint, out.bucket(), step));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new Unusable(String.join("\n  ", problems));
    }
  }

  /**
   * Deletes every object under {@code <output>/_staging/<runId>/} and aborts the multipart uploads
   * left open there. Best effort: returns what it did or why it could not.
   */
  public static String removeStaging(S3StoreOptions o, String output, String runId) {
    // Workers still busy when the run failed may finish a file after a first sweep (the
    // DirectRunner reports the first failure at once), so sweep until a pass finds nothing.
    String first = sweepStaging(o, output, runId);
    for (int pass = 0; pass < 10; pass++) {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      String again = sweepStaging(o, output, runId);
      if (again.startsWith("removed 0 staged object(s) and 0 ") || again.startsWith("could not")) {
        break;
      }
    }
    return first;
  }

  private static String sweepStaging(S3StoreOptions o, String output, String runId) {
    Location out = Location.of(output);
    String prefix = out.key("_staging/" + runId + "/");
    int deleted = 0;
    int aborted = 0;
    try (S3Client s3 = client(o)) {
      String token = null;
      do {
        ListObjectsV2Response page =
            s3.listObjectsV2(
                ListObjectsV2Request.builder()
                    .bucket(out.bucket())
                    .prefix(prefix)
                    .continuationToken(token)
                    .build());
        List<ObjectIdentifier> ids = new ArrayList<>();
        for (S3Object obj : page.contents()) {
          ids.add(ObjectIdentifier.builder().key(obj.key()).build());
        }
        if (!ids.isEmpty()) {
          s3.deleteObjects(
              DeleteObjectsRequest.builder()
                  .bucket(out.bucket())
                  .delete(Delete.builder().objects(ids).quiet(true).build())
                  .build());
          deleted += ids.size();
        }
        token = page.nextContinuationToken();
      } while (token != null);
      try {
        ListMultipartUploadsResponse uploads =
            s3.listMultipartUploads(
                ListMultipartUploadsRequest.builder().bucket(out.bucket()).prefix(prefix).build());
        for (MultipartUpload u : uploads.uploads()) {
          s3.abortMultipartUpload(
              AbortMultipartUploadRequest.builder()
                  .bucket(out.bucket())
                  .key(u.key())
                  .uploadId(u.uploadId())
                  .build());
          aborted++;
        }
      } catch (SdkException e) {
        return "removed "
            + deleted
            + " staged object(s) from s3://"
            + out.bucket()
            + "/"
            + prefix
            + "; unfinished uploads there were left to the bucket's lifecycle rule ("
            + shortReason(e)
            + ")";
      }
    } catch (SdkException e) {
      return "could not remove s3://"
          + out.bucket()
          + "/"
          + prefix
          + " ("
          + shortReason(e)
          + "); delete it by hand or let a lifecycle rule expire _staging/";
    }
    return "removed "
        + deleted
        + " staged object(s) and "
        + aborted
        + " unfinished upload(s) from s3://"
        + out.bucket()
        + "/"
        + prefix;
  }

  /**
   * One clear sentence for an S3 error anywhere in {@code failure}'s causes, or empty when the
   * failure did not come from S3. {@code buckets} are the buckets the run uses, named in the
   * message when the error itself does not say which.
   */
  public static Optional<String> describeFailure(
      Throwable failure, S3StoreOptions o, List<String> buckets) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SdkException e) {
        String bucket = String.join("', '", buckets);
        return Optional.of(
            explain(e, S3Launch.describeEndpoint(o), bucket, "use bucket(s) '" + bucket + "'"));
      }
    }
    return Optional.empty();
  }

  /**
   * The {@code status} of the run manifest at {@code uri}, or null when it can't be read. Uses the
   * few-retries client, so it answers quickly when the store is what failed.
   */
  public static String manifestStatus(S3StoreOptions o, String uri) {
    Location l = Location.of(uri);
    try (S3Client s3 = client(o)) {
      byte[] json = s3.getObjectAsBytes(b -> b.bucket(l.bucket()).key(l.prefix())).asByteArray();
      return new ObjectMapper().readTree(json).path("status").asText(null);
    } catch (SdkException | IOException e) {
      return null;
    }
  }

  static S3Client client(S3StoreOptions o) {
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

  /** Errors that any bucket on the same store would give too: no need to ask twice. */
  private static boolean storeWide(SdkException e) {
    if (e instanceof SdkClientException) {
      return true;
    }
    String code = code(e);
    return "InvalidAccessKeyId".equals(code)
        || "SignatureDoesNotMatch".equals(code)
        || "ExpiredToken".equals(code)
        || "InvalidToken".equals(code);
  }

  private static String code(SdkException e) {
    if (e instanceof S3Exception s && s.awsErrorDetails() != null) {
      return s.awsErrorDetails().errorCode();
    }
    return null;
  }

  /** The explanation of {@code e} for a user: what failed, where, and what to do. */
  static String explain(SdkException e, String endpoint, String bucket, String doing) {
    String at = bucket == null ? " at " + endpoint : " for bucket '" + bucket + "' at " + endpoint;
    if (e instanceof S3Exception s) {
      String code = code(s);
      int status = s.statusCode();
      if ("NoSuchBucket".equals(code) || (status == 404 && code == null)) {
        return "bucket '"
            + bucket
            + "' does not exist at "
            + endpoint
            + " (while trying to "
            + doing
            + ")";
      }
      if ("InvalidAccessKeyId".equals(code)) {
        return "the store rejected the access key (InvalidAccessKeyId)"
            + at
            + ": check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or"
            + " --awsCredentialsProvider)";
      }
      if ("SignatureDoesNotMatch".equals(code)) {
        return "the store rejected the secret key (SignatureDoesNotMatch)"
            + at
            + ": the secret does not belong to the access key in use";
      }
      if ("ExpiredToken".equals(code)
          || "InvalidToken".equals(code)
          || "TokenRefreshRequired".equals(code)) {
        return "the session credentials are expired or invalid ("
            + code
            + ")"
            + at
            + ": refresh them";
      }
      Optional<String> region =
          s.awsErrorDetails() == null || s.awsErrorDetails().sdkHttpResponse() == null
              ? Optional.empty()
              : s.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
      if (status == 301
          || "PermanentRedirect".equals(code)
          || "AuthorizationHeaderMalformed".equals(code)) {
        return "bucket '"
            + bucket
            + "' is in another region"
            + region.map(r -> " (" + r + ")").orElse("")
            + " than the one in use at "
            + endpoint
            + ": set --awsRegion"
            + region.map(r -> "=" + r).orElse("");
      }
      if (status == 403 || "AccessDenied".equals(code)) {
        return "access denied"
            + at
            + " while trying to "
            + doing
            + ": the credentials in use lack a permission (docs/s3.md lists the IAM actions the job"
            + " needs)";
      }
      return "the store answered "
          + status
          + (code == null ? "" : " " + code)
          + at
          + " while trying to "
          + doing
          + (s.awsErrorDetails() == null || s.awsErrorDetails().errorMessage() == null
              ? ""
              : ": " + s.awsErrorDetails().errorMessage());
    }
    String m = String.valueOf(e.getMessage());
    if (m.contains("Unable to load region")) {
      return "no AWS region is set: pass --awsRegion=<region> or set AWS_REGION (any region, e.g."
          + " us-east-1, works for MinIO and most S3-compatible stores)";
    }
    if (m.contains("Unable to load credentials")) {
      return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
          + " AWS_PROFILE, or run with an instance, task or web-identity role";
    }
    return "cannot reach the S3 store at "
        + endpoint
        + (bucket == null ? "" : " (bucket '" + bucket + "')")
        + " while trying to "
        + doing
        + ": "
        + rootCause(e);
  }

  private static String shortReason(SdkException e) {
    String code = code(e);
    return code != null ? code : rootCause(e);
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.toLowerCase(Locale.ROOT).contains("secret") ? t.getClass().getSimpleName() : m;
  }
}
