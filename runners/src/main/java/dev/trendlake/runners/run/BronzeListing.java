package dev.trendlake.runners.run;

import dev.trendlake.pipeline.io.MatchFiles;
import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.runners.s3.S3Errors;
import dev.trendlake.runners.s3.S3Preflight;
import dev.trendlake.runners.s3.S3Region;
import dev.trendlake.transforms.BronzePaths;
import dev.trendlake.transforms.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bronze files a run finds, listed once at launch with the same globs the graph matches ({@link
 * Dataset#mainGlob}, the side input's): each main and side file's size and change token ({@link
 * BronzePaths#changeToken}), by path relative to the bronze root. An incremental run compares it
 * with the committed state before any work; {@code --runner=auto} decides by its size.
 */
record BronzeListing(SortedMap<String, Listed> statistics, SortedMap<String, Listed> categories) {

  /** One listed file. */
  record Listed(long size, String token) {}

  long bytes() {
    return statistics.values().stream().mapToLong(Listed::size).sum();
  }

  /** The dataset's main and side files under {@code input}, by its globs. */
  static BronzeListing of(String input, Bronze store, Dataset dataset) {
    return new BronzeListing(
        store.list(input, dataset.mainGlob()), store.list(input, dataset.side().glob()));
  }

  /** Lists the files under a root that match a glob. */
  interface Bronze {
    SortedMap<String, Listed> list(String root, String glob);
  }

  /** Any Beam file system (local folders): Beam's own match, as the graph's. */
  static SortedMap<String, Listed> beam(String root, String glob) {
    TreeMap<String, Listed> out = new TreeMap<>();
    try {
      MatchResult m =
          FileSystems.match(List.of(root + "/" + glob), EmptyMatchTreatment.ALLOW).get(0);
      if (m.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata md : m.metadata()) {
          out.put(
              BronzePaths.relativize(root, md.resourceId().toString()),
              new Listed(md.sizeBytes(), BronzePaths.changeToken(md)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + root + "/" + glob, e);
    }
    return out;
  }

  /** An S3 bronze root, page by page, with each object's ETag (as the graph's S3 listing). */
  static Bronze s3(S3StoreOptions options) {
    return (root, glob) -> {
      S3Preflight.Location in = S3Preflight.Location.of(root);
      String key = in.key(glob);
      String prefix = key.substring(0, key.indexOf('*'));
      Pattern match = MatchFiles.globToRegex(key);
      TreeMap<String, Listed> out = new TreeMap<>();
      try (S3Client s3 = S3Preflight.client(options)) {
        String token = null;
        do {
          ListObjectsV2Response page =
              s3.listObjectsV2(
                  ListObjectsV2Request.builder()
                      .bucket(in.bucket())
                      .prefix(prefix)
                      .continuationToken(token)
                      .build());
          for (S3Object o : page.contents()) {
            if (match.matcher(o.key()).matches()) {
              long modified = o.lastModified() == null ? 0L : o.lastModified().toEpochMilli();
              out.put(
                  BronzePaths.relativize(root, "s3://" + in.bucket() + "/" + o.key()),
                  new Listed(o.size(), BronzePaths.changeToken(o.eTag(), modified)));
            }
          }
          token = page.nextContinuationToken();
        } while (token != null);
      } catch (SdkException e) {
        throw new S3Preflight.Unusable(
            S3Errors.explain(
                e,
                S3Region.describeEndpoint(options),
                in.bucket(),
                "list the bronze input " + root + " (--input)"));
      }
      return out;
    };
  }

  static Bronze forInput(String input, S3StoreOptions s3) {
    return StorePaths.isS3(input) ? s3(s3) : BronzeListing::beam;
  }
}
