package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.BronzePaths;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Keeps the listed bronze files an incremental run must read: those not processed yet (by path and
 * change token), and those read again to rebuild partitions. The launcher compared the same listing
 * with the committed state before the run and refused changed files unless told to reprocess them;
 * a file that changes between that check and this listing is read as new.
 */
public final class SelectFiles
    extends PTransform<PCollection<MatchResult.Metadata>, PCollection<MatchResult.Metadata>> {
  private final String bronzeRoot;
  private final Map<String, String> processed;
  private final Set<String> rebuildFiles;

  /**
   * @param processed path relative to the bronze root to the change token it had when processed
   * @param rebuildFiles processed files to read again (for the partitions being rebuilt)
   */
  public SelectFiles(String bronzeRoot, Map<String, String> processed, Set<String> rebuildFiles) {
    this.bronzeRoot = bronzeRoot;
    this.processed = processed;
    this.rebuildFiles = rebuildFiles;
  }

  @Override
  public PCollection<MatchResult.Metadata> expand(PCollection<MatchResult.Metadata> listed) {
    return listed
        .apply("KeepNewFiles", ParDo.of(new SelectFn(bronzeRoot, processed, rebuildFiles)))
        .setCoder(listed.getCoder());
  }

  static final class SelectFn extends DoFn<MatchResult.Metadata, MatchResult.Metadata> {
    private final String bronzeRoot;
    private final Map<String, String> processed;
    private final Set<String> rebuildFiles;
    private final Counter skipped = Metrics.counter(SelectFiles.class, "files_already_processed");

    SelectFn(String bronzeRoot, Map<String, String> processed, Set<String> rebuildFiles) {
      this.bronzeRoot = bronzeRoot;
      this.processed = processed;
      this.rebuildFiles = rebuildFiles;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata m, OutputReceiver<MatchResult.Metadata> out) {
      String path = BronzePaths.relativize(bronzeRoot, m.resourceId().toString());
      String token = processed.get(path);
      if (token == null
          || !token.equals(BronzePaths.changeToken(m))
          || rebuildFiles.contains(path)) {
        out.output(m);
      } else {
        skipped.inc();
      }
    }
  }
}
