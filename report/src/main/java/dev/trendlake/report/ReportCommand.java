package dev.trendlake.report;

import dev.trendlake.pipeline.io.StorePaths;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trendlake report}: one self-contained HTML page of a lake (gold and the run manifests),
 * with its charts and the region and date filters. Its own jar, which the one command line adds by
 * class name like {@code ingest} and {@code bench}, so the chart library and this code stay out of
 * the job jar and never slow a run's start.
 *
 * <p>It reads gold Parquet directly (six columns, files in parallel) rather than the warehouse: a
 * lake on S3 with {@code --warehouse=none} has no warehouse, and gold is the committed truth both
 * are made from.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Write one self-contained HTML report of a lake: gold charts and each run's quarantine and"
            + " quality.")
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--lake",
      paramLabel = "<folder or s3://bucket/prefix>",
      description = "The output root of trendlake run (default: ${DEFAULT-VALUE}).",
      defaultValue = "lake")
  String lake;

  @Option(
      names = "--out",
      paramLabel = "<file>",
      description = "Where to write the page (default: ${DEFAULT-VALUE}).",
      defaultValue = "report.html")
  String out;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    String root = StorePaths.absolute(lake);
    String target = StorePaths.absolute(out);
    if (StorePaths.isS3(root) || StorePaths.isS3(target)) {
      // S3 needs Beam's options (region, credentials); building them scans every options class on
      // the class path, which a local lake need not wait for
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    }
    long start = System.nanoTime();
    GoldSummary gold = GoldSummary.read(root, Runtime.getRuntime().availableProcessors());
    if (gold.files == 0) {
      err.println(
          "trendlake report: no gold under "
              + root
              + "/gold/trending: run 'trendlake run --output="
              + lake
              + "' first, or name its output with --lake");
      return 1;
    }
    String html = ReportPage.html(ReportData.of(root, gold));
    try (OutputStream os =
        Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource(target, false), "text/html"))) {
      os.write(html.getBytes(StandardCharsets.UTF_8));
    }
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "trendlake report: %s (%,d gold rows in %d files, %.1f s)%n",
            target,
            gold.rows,
            gold.files,
            (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
