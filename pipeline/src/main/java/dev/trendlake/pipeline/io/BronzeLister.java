package dev.trendlake.pipeline.io;

import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.transforms.BronzePaths;
import java.io.IOException;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.InstanceBuilder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One listing of a bronze folder, as a watcher polls it: the batch run's own listing ({@link
 * MatchFiles#listLocal}, {@link MatchFiles#listS3}), so a continuous job reads the same files, with
 * the same change tokens, and skips the same entries for the same reasons as a batch run over the
 * same bronze. On S3 the objects are listed page by page with the listing's own size, time and
 * ETag: Beam's match would ask a HEAD of every object on every poll. Not serializable state: a
 * watcher, a continuous commit that retracts a file, and the batch run's S3 listing each make one
 * per worker and close it in their teardown.
 */
public final class BronzeLister implements AutoCloseable {
  private final PipelineOptions options;
  private S3Client s3;

  public BronzeLister(PipelineOptions options) {
    this.options = options;
  }

  /**
   * The files under {@code <root>/<folder>} ending in {@code .<extension>} now, and every other
   * entry with the reason it is not read; an I/O error fails the poll, which is retried.
   */
  public MatchFiles.Listing list(String root, String folder, String extension) throws IOException {
    return list(root, folder, extension, () -> {});
  }

  /** The files {@link #list} finds, by path relative to {@code root}. */
  public SortedMap<String, MatchResult.Metadata> byPath(
      String root, String folder, String extension) throws IOException {
    TreeMap<String, MatchResult.Metadata> out = new TreeMap<>();
    for (MatchResult.Metadata m : list(root, folder, extension).files()) {
      out.put(BronzePaths.relativize(root, m.resourceId().toString()), m);
    }
    return out;
  }

  /** {@link #list}, calling {@code onPage} after each page of an S3 listing. */
  MatchFiles.Listing list(String root, String folder, String extension, Runnable onPage)
      throws IOException {
    if (!StorePaths.isS3(root)) {
      return MatchFiles.listLocal(root, folder, extension);
    }
    if (s3 == null) {
      S3StoreOptions o = options.as(S3StoreOptions.class);
      s3 =
          InstanceBuilder.ofType(S3ClientBuilderFactory.class)
              .fromClass(o.getS3ClientFactoryClass())
              .build()
              .createBuilder(o)
              .build();
    }
    return MatchFiles.listS3(s3, root, folder, extension, onPage);
  }

  @Override
  public void close() {
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
  }
}
