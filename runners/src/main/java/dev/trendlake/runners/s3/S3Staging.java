package dev.trendlake.runners.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.pipeline.s3.S3Listing;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Housekeeping of a run's S3 staging folder: after a failed run, delete what it staged and abort
 * its unfinished multipart uploads, so a failure leaves nothing behind but the earlier output; at a
 * run's start, do the same for runs that were killed ({@link #sweepOthers}); and read a run
 * manifest's status with the few-retries client.
 */
public final class S3Staging {
  private S3Staging() {}

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

  /**
   * Removes the staging of every run under {@code <output>/_staging/} but {@code ownRunId} whose
   * newest object or unfinished upload is older than {@code minAge}. S3 can't tell whether a run is
   * alive, so age stands in for it until the output lock of issue 14 makes this run the only
   * writer. Best effort: returns what it did, or why it could not.
   */
  public static String sweepOthers(
      S3StoreOptions o, String output, String ownRunId, Duration minAge) {
    S3Preflight.Location out = S3Preflight.Location.of(output);
    String staging = out.key("_staging/");
    Map<String, Instant> newest = new TreeMap<>();
    try (S3Client s3 = S3Preflight.client(o)) {
      S3Listing.forEachPage(
          s3,
          out.bucket(),
          staging,
          page -> {
            for (S3Object obj : page) {
              newest.merge(runOf(staging, obj.key()), stamp(obj.lastModified()), S3Staging::later);
            }
          });
      ListMultipartUploadsResponse uploads =
          s3.listMultipartUploads(
              ListMultipartUploadsRequest.builder().bucket(out.bucket()).prefix(staging).build());
      for (MultipartUpload u : uploads.uploads()) {
        newest.merge(runOf(staging, u.key()), stamp(u.initiated()), S3Staging::later);
      }
    } catch (SdkException e) {
      return "could not list s3://"
          + out.bucket()
          + "/"
          + staging
          + " for staging left by earlier runs ("
          + S3Errors.shortReason(e)
          + ")";
    }
    Instant cutoff = Instant.now().minus(minAge);
    List<String> done = new ArrayList<>();
    newest.forEach(
        (run, last) -> {
          if (!run.equals(ownRunId) && last.isBefore(cutoff)) {
            done.add(sweepStaging(o, output, run));
          }
        });
    return String.join("; ", done);
  }

  private static String runOf(String staging, String key) {
    String rest = key.substring(staging.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant stamp(Instant t) {
    return t == null ? Instant.EPOCH : t;
  }

  private static String sweepStaging(S3StoreOptions o, String output, String runId) {
    S3Preflight.Location out = S3Preflight.Location.of(output);
    String prefix = out.key("_staging/" + runId + "/");
    int deleted = 0;
    int aborted = 0;
    try (S3Client s3 = S3Preflight.client(o)) {
      int[] n = new int[1];
      S3Listing.forEachPage(
          s3,
          out.bucket(),
          prefix,
          page -> {
            List<ObjectIdentifier> ids = new ArrayList<>();
            for (S3Object obj : page) {
              ids.add(ObjectIdentifier.builder().key(obj.key()).build());
            }
            if (!ids.isEmpty()) {
              s3.deleteObjects(
                  DeleteObjectsRequest.builder()
                      .bucket(out.bucket())
                      .delete(Delete.builder().objects(ids).quiet(true).build())
                      .build());
              n[0] += ids.size();
            }
          });
      deleted = n[0];
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
            + S3Errors.shortReason(e)
            + ")";
      }
    } catch (SdkException e) {
      return "could not remove s3://"
          + out.bucket()
          + "/"
          + prefix
          + " ("
          + S3Errors.shortReason(e)
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
   * The {@code status} of the run manifest at {@code uri}, or null when it can't be read. Uses the
   * few-retries client, so it answers quickly when the store is what failed.
   */
  public static String manifestStatus(S3StoreOptions o, String uri) {
    S3Preflight.Location l = S3Preflight.Location.of(uri);
    try (S3Client s3 = S3Preflight.client(o)) {
      byte[] json = s3.getObjectAsBytes(b -> b.bucket(l.bucket()).key(l.prefix())).asByteArray();
      return new ObjectMapper().readTree(json).path("status").asText(null);
    } catch (SdkException | IOException e) {
      return null;
    }
  }
}
