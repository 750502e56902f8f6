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
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.io.fs.MatchResult;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bronze files a run finds, listed once at launch as the graph lists them ({@link MatchFiles},
 * in the dataset's folders: {@link Dataset#mainFolder}, the side input's): each main and side
 * file's size and change token ({@link BronzePaths#changeToken}), by path relative to the bronze
 * root. An incremental run compares it with the committed state before any work; {@code
 * --runner=auto} decides by its size.
 */
record BronzeListing(SortedMap<String, Listed> statistics, SortedMap<String, Listed> categories) {

  /** One listed file. */
  record Listed(long size, String token) {}

  long bytes() {
    return statistics.values().stream().mapToLong(Listed::size).sum();
  }

  /** The dataset's main and side files under {@code input}, in its folders. */
  static BronzeListing of(String input, Bronze store, Dataset dataset) {
    return new BronzeListing(
        store.list(input, dataset.mainFolder(), dataset.mainExtension()),
        store.list(input, dataset.side().folder(), dataset.side().extension()));
  }

  /** Lists the files of one folder under a root that the graph reads. */
  interface Bronze {
    SortedMap<String, Listed> list(String root, String folder, String extension);
  }

  private static SortedMap<String, Listed> listed(String root, MatchFiles.Listing l) {
    TreeMap<String, Listed> out = new TreeMap<>();
    for (MatchResult.Metadata md : l.files()) {
      out.put(
          BronzePaths.relativize(root, md.resourceId().toString()),
          new Listed(md.sizeBytes(), BronzePaths.changeToken(md)));
    }
    return out;
  }

  /** A local bronze root, walked as the graph walks it ({@link MatchFiles#listLocal}). */
  static SortedMap<String, Listed> local(String root, String folder, String extension) {
    try {
      return listed(root, MatchFiles.listLocal(root, folder, extension));
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + root + "/" + folder, e);
    }
  }

  /** An S3 bronze root, page by page, with each object's ETag ({@link MatchFiles#listS3}). */
  static Bronze s3(S3StoreOptions options) {
    return (root, folder, extension) -> {
      try (S3Client s3 = S3Preflight.client(options)) {
        return listed(root, MatchFiles.listS3(s3, root, folder, extension, () -> {}));
      } catch (SdkException e) {
        S3Preflight.Location in = S3Preflight.Location.of(root);
        throw new S3Preflight.Unusable(
            S3Errors.explain(
                e,
                S3Region.describeEndpoint(options),
                in.bucket(),
                "list the bronze input " + root + " (--input)"));
      }
    };
  }

  static Bronze forInput(String input, S3StoreOptions s3) {
    return StorePaths.isS3(input) ? s3(s3) : BronzeListing::local;
  }
}
