package dev.trendlake.pipeline.continuous;

import dev.trendlake.pipeline.commit.CategorySnapshot;
import dev.trendlake.transforms.BronzePaths;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.CategoryColumns;
import dev.trendlake.transforms.youtube.CategoryJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Reads a whole category listing into a {@link CategorySnapshot}: each file parsed by {@link
 * CategoryJson} as the batch graph's {@code ReadCategories} does, and one category kept per
 * (region, category_id), the first by source file then title, the others counted as duplicates of
 * their file, as there. One DoFn, not the batch transform: that one groups by key, which in a
 * streaming job would need a window and a trigger for data that is a few kilobytes read at once. An
 * I/O error fails the bundle so the runner retries it.
 */
final class ReadCategorySnapshot extends DoFn<CategoryListing, CategorySnapshot> {
  private static final Comparator<Row> FIRST =
      Comparator.comparing((Row c) -> c.get(CategoryColumns.SOURCE_FILE))
          .thenComparing(c -> c.get(CategoryColumns.TITLE));

  private final String bronzeRoot;

  ReadCategorySnapshot(String bronzeRoot) {
    this.bronzeRoot = bronzeRoot;
  }

  @ProcessElement
  public void process(@Element CategoryListing listing, OutputReceiver<CategorySnapshot> out)
      throws IOException {
    out.output(read(bronzeRoot, listing));
  }

  static CategorySnapshot read(String bronzeRoot, CategoryListing listing) throws IOException {
    RunTally.Builder tally = RunTally.builder();
    List<Rejected> rejected = new ArrayList<>();
    Map<String, List<Row>> byKey = new TreeMap<>();
    TreeMap<String, String> tokens = new TreeMap<>();
    for (MatchResult.Metadata file : listing.files()) {
      String path = BronzePaths.relativize(bronzeRoot, file.resourceId().toString());
      String region = BronzePaths.categoryRegion(path);
      byte[] bytes;
      try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
        bytes = in.readAllBytes();
      }
      CategoryJson.Result r = CategoryJson.parse(path, region, bytes);
      tokens.put(path, BronzePaths.changeToken(file));
      FileTally.Builder ft = tally.file(path, Rejected.CATEGORIES);
      ft.region(region == null ? "unknown" : region)
          .layout("videoCategories.list")
          .read(file.sizeBytes(), BronzePaths.changeToken(file))
          .records(r.records());
      for (Rejected x : r.rejected()) {
        ft.quarantined(x.reason().code(), 1);
        rejected.add(x);
      }
      for (Row c : r.categories()) {
        byKey.computeIfAbsent(CategoryColumns.key(c), k -> new ArrayList<>()).add(c);
      }
    }
    List<Row> kept = new ArrayList<>();
    for (List<Row> same : byKey.values()) {
      same.sort(FIRST);
      Row keep = same.get(0);
      kept.add(keep);
      tally.file(keep.get(CategoryColumns.SOURCE_FILE), Rejected.CATEGORIES).silver(1);
      tally.region(keep.get(CategoryColumns.REGION), new RegionTally(0, 0, 0, 1));
      for (int i = 1; i < same.size(); i++) {
        tally.file(same.get(i).get(CategoryColumns.SOURCE_FILE), Rejected.CATEGORIES).duplicates(1);
      }
    }
    return new CategorySnapshot(listing.generation(), kept, rejected, tally.build(), tokens);
  }
}
