package dev.trendlake.pipeline.continuous;

import dev.trendlake.pipeline.io.MatchFiles;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.InstanceBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One listing of a bronze glob, as a watcher polls it: every matching file with its size and change
 * token parts (modification time, and the ETag on S3). On S3 the objects are listed page by page
 * with the listing's own size, time and ETag, as the batch listing does ({@link MatchFiles}):
 * Beam's match would ask a HEAD of every object on every poll. Elsewhere Beam's match. Not
 * serializable state: a watcher makes one per worker and closes it in its teardown.
 */
final class BronzeLister implements AutoCloseable {
  private final PipelineOptions options;
  private S3Client s3;

  BronzeLister(PipelineOptions options) {
    this.options = options;
  }

  /** The files matching {@code glob} now; an I/O error fails the poll, which is retried. */
  List<MatchResult.Metadata> list(String glob) throws IOException {
    return glob.startsWith("s3://") ? listS3(glob) : listBeam(glob);
  }

  private static List<MatchResult.Metadata> listBeam(String glob) throws IOException {
    MatchResult m = FileSystems.match(List.of(glob), EmptyMatchTreatment.ALLOW).get(0);
    if (m.status() == MatchResult.Status.NOT_FOUND) {
      return List.of();
    }
    if (m.status() != MatchResult.Status.OK) {
      throw new IOException("could not list " + glob + ": " + m.status());
    }
    return m.metadata();
  }

  private List<MatchResult.Metadata> listS3(String glob) {
    if (s3 == null) {
      S3StoreOptions o = options.as(S3StoreOptions.class);
      s3 =
          InstanceBuilder.ofType(S3ClientBuilderFactory.class)
              .fromClass(o.getS3ClientFactoryClass())
              .build()
              .createBuilder(o)
              .build();
    }
    String rest = glob.substring("s3://".length());
    String bucket = rest.substring(0, rest.indexOf('/'));
    String key = rest.substring(rest.indexOf('/') + 1);
    int wild = key.length();
    for (char w : new char[] {'*', '?', '['}) {
      int i = key.indexOf(w);
      wild = i >= 0 ? Math.min(wild, i) : wild;
    }
    Pattern match = MatchFiles.globToRegex(key);
    List<MatchResult.Metadata> out = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Response page =
          s3.listObjectsV2(
              ListObjectsV2Request.builder()
                  .bucket(bucket)
                  .prefix(key.substring(0, wild))
                  .continuationToken(token)
                  .build());
      for (S3Object obj : page.contents()) {
        if (match.matcher(obj.key()).matches()) {
          out.add(
              MatchResult.Metadata.builder()
                  .setResourceId(
                      FileSystems.matchNewResource("s3://" + bucket + "/" + obj.key(), false))
                  .setSizeBytes(obj.size())
                  .setIsReadSeekEfficient(true)
                  .setLastModifiedMillis(
                      obj.lastModified() == null ? 0L : obj.lastModified().toEpochMilli())
                  .setChecksum(obj.eTag())
                  .build());
        }
      }
      token = page.nextContinuationToken();
    } while (token != null);
    return out;
  }

  @Override
  public void close() {
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
  }
}
