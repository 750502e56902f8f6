package dev.trendlake.runners.run;

import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.runners.s3.S3Errors;
import dev.trendlake.runners.s3.S3Preflight;
import dev.trendlake.runners.s3.S3Region;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * How much statistics CSV a run's input holds, listed once at launch (a local walk, or an S3 list
 * of {@code raw_statistics/}): what {@code --runner=auto} decides by.
 *
 * @param files statistics files ({@code .csv})
 * @param bytes their total size
 */
record BronzeListing(long files, long bytes) {

  static BronzeListing of(String input, S3StoreOptions s3) {
    return StorePaths.isS3(input) ? s3(input, s3) : local(StorePaths.local(input));
  }

  private static BronzeListing local(Path root) {
    Path stats = root.resolve("raw_statistics");
    if (!Files.isDirectory(stats)) {
      return new BronzeListing(0, 0);
    }
    long[] n = new long[2];
    try (Stream<Path> walk = Files.walk(stats)) {
      walk.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".csv"))
          .filter(Files::isRegularFile)
          .forEach(
              p -> {
                n[0]++;
                try {
                  n[1] += Files.size(p);
                } catch (IOException e) {
                  // unreadable: the run itself reports it
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // a folder that can't be walked: the run reports it; the choice sees what was listed
    }
    return new BronzeListing(n[0], n[1]);
  }

  private static BronzeListing s3(String input, S3StoreOptions options) {
    S3Preflight.Location in = S3Preflight.Location.of(input);
    try (S3Client s3 = S3Preflight.client(options)) {
      return s3(s3, in);
    } catch (SdkException e) {
      throw new S3Preflight.Unusable(
          S3Errors.explain(
              e,
              S3Region.describeEndpoint(options),
              in.bucket(),
              "list the bronze input " + input + " (--input)"));
    }
  }

  private static BronzeListing s3(S3Client s3, S3Preflight.Location in) {
    long files = 0;
    long bytes = 0;
    {
      String token = null;
      do {
        ListObjectsV2Response page =
            s3.listObjectsV2(
                ListObjectsV2Request.builder()
                    .bucket(in.bucket())
                    .prefix(in.key("raw_statistics/"))
                    .continuationToken(token)
                    .build());
        for (S3Object o : page.contents()) {
          if (o.key().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            files++;
            bytes += o.size();
          }
        }
        token = page.nextContinuationToken();
      } while (token != null);
    }
    return new BronzeListing(files, bytes);
  }
}
