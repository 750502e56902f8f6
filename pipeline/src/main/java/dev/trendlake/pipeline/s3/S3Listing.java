package dev.trendlake.pipeline.s3;

import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists an S3 prefix page by page (1,000 keys a request) and hands each page on as it comes, so
 * that memory grows with a page, not with the prefix: the one listing loop of the bronze lister and
 * the staging housekeeping.
 */
public final class S3Listing {
  private S3Listing() {}

  public static void forEachPage(
      S3Client s3, String bucket, String prefix, Consumer<List<S3Object>> onPage) {
    String token = null;
    do {
      ListObjectsV2Response page =
          s3.listObjectsV2(
              ListObjectsV2Request.builder()
                  .bucket(bucket)
                  .prefix(prefix)
                  .continuationToken(token)
                  .build());
      onPage.accept(page.contents());
      token = page.nextContinuationToken();
    } while (token != null);
  }
}
