package dev.trendlake.pipeline.io;

import dev.trendlake.pipeline.s3.S3Listing;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists one folder of the bronze root ({@code raw_statistics}, {@code
 * raw_statistics_reference_data}) at any depth: {@link #FILES}, the metadata of every file whose
 * name ends in the extension (in any case), with its whole metadata ({@link BronzeMetadataCoder}:
 * the ETag on S3), and {@link #SKIPPED}, a tally naming every other entry and why it was not read,
 * so that nothing under the folder vanishes without a word (the manifest and the run summary list
 * them). Later steps may filter {@link #FILES} (an incremental run drops files it has already
 * processed) before opening them.
 *
 * <p>Local folders are walked by {@link LocalListing}, which states the link policy. On S3 this
 * lists page by page (1,000 keys a request) and asks nothing more: Beam's match would ask a HEAD of
 * every matched object although the listing already carries each object's size, time and ETag. The
 * launcher plans an incremental run from the same listing ({@link #listLocal}, {@link #listS3}).
 */
public final class MatchFiles extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<MatchResult.Metadata> FILES = new TupleTag<>() {};
  public static final TupleTag<RunTally> SKIPPED = new TupleTag<>() {};

  private final String root;
  private final String folder;
  private final String extension;

  /**
   * @param root the bronze root, an absolute local path or {@code s3://bucket/prefix}
   * @param folder the folder under it to list
   * @param extension the file name extension to read, without the dot
   */
  public MatchFiles(String root, String folder, String extension) {
    this.root = StorePaths.stripSlash(root);
    this.folder = folder;
    this.extension = extension;
  }

  @Override
  public PCollectionTuple expand(PBegin p) {
    DoFn<String, MatchResult.Metadata> list =
        StorePaths.isS3(root)
            ? new ListS3Fn(folder, extension)
            : new ListLocalFn(folder, extension);
    PCollectionTuple out =
        p.apply("Root", Create.of(root))
            .apply(
                StorePaths.isS3(root) ? "ListS3" : "ListLocal",
                ParDo.of(list).withOutputTags(FILES, TupleTagList.of(SKIPPED)));
    PCollection<MatchResult.Metadata> files =
        out.get(FILES)
            // set before the first encoding: Beam's coders drop the change token's parts
            .setCoder(BronzeMetadataCoder.of())
            .apply("Spread", Reshuffle.viaRandomKey());
    return PCollectionTuple.of(FILES, files)
        .and(SKIPPED, out.get(SKIPPED).setCoder(RunTallyCoder.of()));
  }

  /** What one listing of a folder found: files to read, and every other entry with its reason. */
  public record Listing(List<MatchResult.Metadata> files, SortedMap<String, String> skipped) {}

  /**
   * The listing of {@code folder} under the local bronze {@code root}: the graph's, and the
   * launcher's before it plans an incremental run, so both see the same files.
   */
  public static Listing listLocal(String root, String folder, String extension) throws IOException {
    LocalListing.Result r = LocalListing.list(StorePaths.local(root), folder, extension);
    List<MatchResult.Metadata> files = new ArrayList<>();
    for (LocalListing.Found f : r.files()) {
      files.add(metadata(f.path().toString(), f.size(), f.lastModifiedMillis(), null));
    }
    return new Listing(files, r.skipped());
  }

  /**
   * The listing of {@code folder} under the S3 bronze {@code root}, page by page; {@code onPage}
   * sees each page's size. Each object keeps its ETag: it tells a rewritten object from the one a
   * run read (incremental runs).
   */
  public static Listing listS3(
      S3Client s3, String root, String folder, String extension, Runnable onPage) {
    String suffix = "." + extension.toLowerCase(Locale.ROOT);
    String rest = root.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String rootKey = slash < 0 ? "" : StorePaths.stripSlash(rest.substring(slash + 1)) + "/";
    String prefix = rootKey + folder + "/";
    List<MatchResult.Metadata> files = new ArrayList<>();
    SortedMap<String, String> skipped = new TreeMap<>();
    S3Listing.forEachPage(
        s3,
        bucket,
        prefix,
        page -> {
          onPage.run();
          for (S3Object obj : page) {
            String key = obj.key();
            if (key.endsWith("/") && obj.size() == 0) {
              continue; // a folder marker (the console's "create folder"): no data
            }
            if (key.toLowerCase(Locale.ROOT).endsWith(suffix)) {
              files.add(
                  metadata(
                      "s3://" + bucket + "/" + key,
                      obj.size(),
                      obj.lastModified() == null ? 0L : obj.lastModified().toEpochMilli(),
                      obj.eTag()));
            } else {
              skipped.put(key.substring(rootKey.length()), "not a " + suffix + " file: not read");
            }
          }
        });
    return new Listing(files, skipped);
  }

  static MatchResult.Metadata metadata(
      String path, long size, long lastModifiedMillis, String checksum) {
    MatchResult.Metadata.Builder b =
        MatchResult.Metadata.builder()
            .setResourceId(FileSystems.matchNewResource(path, false))
            .setSizeBytes(size)
            .setIsReadSeekEfficient(true)
            .setLastModifiedMillis(lastModifiedMillis);
    if (checksum != null) {
      b.setChecksum(checksum);
    }
    return b.build();
  }

  static void emit(Listing listing, DoFn.MultiOutputReceiver out) {
    listing.files().forEach(out.get(FILES)::output);
    if (!listing.skipped().isEmpty()) {
      RunTally.Builder t = RunTally.builder();
      listing.skipped().forEach(t::skip);
      out.get(SKIPPED).output(t.build());
    }
  }

  static final class ListLocalFn extends DoFn<String, MatchResult.Metadata> {
    private final String folder;
    private final String extension;

    ListLocalFn(String folder, String extension) {
      this.folder = folder;
      this.extension = extension;
    }

    @ProcessElement
    public void process(@Element String root, MultiOutputReceiver out) throws IOException {
      emit(listLocal(root, folder, extension), out);
    }
  }

  static final class ListS3Fn extends DoFn<String, MatchResult.Metadata> {
    private final Counter matched = Metrics.counter(MatchFiles.class, "s3_objects_matched");
    private final Counter pages = Metrics.counter(MatchFiles.class, "s3_list_pages");
    private final String folder;
    private final String extension;
    private transient BronzeLister lister;

    ListS3Fn(String folder, String extension) {
      this.folder = folder;
      this.extension = extension;
    }

    @ProcessElement
    public void process(@Element String root, PipelineOptions options, MultiOutputReceiver out)
        throws IOException {
      if (lister == null) {
        lister = new BronzeLister(options);
      }
      Listing listing = lister.list(root, folder, extension, pages::inc);
      matched.inc(listing.files().size());
      emit(listing, out);
    }

    @Teardown
    public void teardown() {
      if (lister != null) {
        lister.close();
        lister = null;
      }
    }
  }
}
