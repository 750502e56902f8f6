package dev.trendlake.pipeline.commit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.ReadCommitted;
import dev.trendlake.pipeline.warehouse.WarehouseLoader;
import dev.trendlake.pipeline.warehouse.WarehouseTarget;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.youtube.CategoryColumns;
import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse side of a continuous commit ({@link WaveCommit}): each commit loads the gold
 * partitions it rewrote, under its own id, through the loader's staging tables and MERGE, so a load
 * done twice leaves the same tables; a load a crash cut after its commit is done again first.
 */
final class ContinuousLoad {
  private static final Logger LOG = LoggerFactory.getLogger(ContinuousLoad.class);

  private final WaveCommit.Settings settings;

  ContinuousLoad(WaveCommit.Settings settings) {
    this.settings = settings;
  }

  /**
   * Loads the committed gold partitions into the warehouse, under the commit's id; the facts of
   * {@code removed} partitions (a retraction left them empty) are deleted.
   */
  void load(
      String commitId, List<Partition> partitions, List<Row> categories, List<String> removed) {
    WarehouseTarget target = settings.warehouse();
    try (WarehouseLoader loader = new WarehouseLoader(target, commitId)) {
      loader.prepare();
      String goldRoot =
          new OutputPaths(settings.output(), commitId).resolve(OutputPaths.GOLD_TRENDING);
      long staged =
          target.load() == WarehouseTarget.LoadMethod.COPY
              ? loader.stageFromS3(goldRoot, partitions)
              : loader.stage(partitions);
      loader.merge(staged, categories, removed);
    }
  }

  /**
   * A warehouse load that a crash cut after its commit ({@code _load_pending.json}): done again
   * from the committed gold of the partitions it names (all of the lake's when a batch run left the
   * marker), under the id of the commit it belongs to.
   */
  void loadPending(CategorySnapshot snapshot) throws IOException {
    if (settings.warehouse() == null) {
      return;
    }
    String marker =
        new OutputPaths(settings.output(), "-")
            .resolve(OutputPaths.MANIFESTS + "/" + ManifestStore.LOAD_PENDING);
    MatchResult m = FileSystems.match(List.of(marker), EmptyMatchTreatment.ALLOW).get(0);
    if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
      return;
    }
    JsonNode n;
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(m.metadata().get(0).resourceId()))) {
      n = Manifest.MAPPER.readTree(in);
    }
    String id = n.path("run_id").asText();
    List<String> names = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    n.path("removed").forEach(x -> removed.add(x.asText()));
    if (n.has("partitions")) {
      n.path("partitions").forEach(x -> names.add(x.asText()));
    } else {
      names.addAll(
          ManifestStore.state(settings.output(), false, YouTubeDataset.INSTANCE)
              .partitions()
              .keySet());
    }
    Map<String, String> titles = snapshot.titles();
    OutputPaths paths = new OutputPaths(settings.output(), id);
    List<Partition> partitions = new ArrayList<>();
    for (String name : names) {
      List<Row> rows = new ArrayList<>();
      for (Row r : ReadCommitted.committedRows(paths, YouTubeDataset.INSTANCE, name)) {
        rows.add(CategoryColumns.join(r, titles));
      }
      if (!rows.isEmpty()) {
        partitions.add(new Partition(name, YouTubeDataset.INSTANCE.group(rows.get(0)), rows));
      }
    }
    LOG.info(
        "The warehouse load of {} did not finish; loading its {} partition(s) again",
        id,
        partitions.size());
    load(id, partitions, snapshot.categories(), removed);
    ManifestStore.clearLoadPending(settings.output());
  }
}
