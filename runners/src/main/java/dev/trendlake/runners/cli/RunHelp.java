package dev.trendlake.runners.cli;

import dev.trendlake.pipeline.config.RunOption;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code trendlake run --help}: trendlake's options by group, with their form and default, and the
 * few Beam options users need; {@code --help=all} adds every option Beam and its runners know.
 */
final class RunHelp {
  private RunHelp() {}

  private static final int WIDTH = 100;

  static void print(PrintWriter out, boolean all) {
    out.println("Usage: trendlake run [--option=value ...]");
    out.println();
    out.println(
        "Reads bronze statistics CSV and category JSON, writes silver and gold Parquet"
            + " (Hive-partitioned by");
    out.println(
        "region and trending_date), quarantines bad records with the reason, writes a run"
            + " manifest, and loads");
    out.println("the star schema. With no options: the sample bronze to ./lake, and an embedded");
    out.println("PostgreSQL warehouse under lake/warehouse.");
    out.println();
    out.println("Examples:");
    out.println("  trendlake run");
    out.println(
        "  trendlake run --input=/data/bronze --output=/data/lake --runner=FlinkRunner"
            + " --parallelism=2");
    out.println(
        "  trendlake run --input=s3://bronze/youtube --output=s3://lake/youtube"
            + " --endpoint=http://localhost:9000 --s3PathStyleAccess=true");
    for (RunOption.Group g : RunOption.Group.values()) {
      out.println();
      out.println(g.heading() + ":");
      for (RunOption o : RunOption.values()) {
        if (o.group() == g) {
          option(out, o);
        }
      }
    }
    out.println();
    out.println(
        "S3 credentials come from the AWS default chain (AWS_ACCESS_KEY_ID +"
            + " AWS_SECRET_ACCESS_KEY, AWS_PROFILE,");
    out.println(
        "or an instance, task or web-identity role); never put a key on the command line."
            + " docs/s3.md lists");
    out.println("the IAM actions the job needs. A warehouse password comes from");
    out.println("TRENDLAKE_WAREHOUSE_PASSWORD or --warehouseSecretArn, never from an option.");
    out.println();
    out.println(
        "Any other --option=value goes to Beam and its runner (e.g. --flinkConfDir,"
            + " --awsCredentialsProvider).");
    if (all) {
      out.println();
      out.println("All Beam options:");
      out.print(beamHelp());
    } else {
      out.println("--help=all lists every Beam option.");
    }
    out.flush();
  }

  private static void option(PrintWriter out, RunOption o) {
    String head = "  " + o.flag() + "=" + o.form();
    String text =
        o.description() + (o.defaultValue() == null ? "" : " Default: " + o.defaultValue() + ".");
    List<String> lines = wrap(text, WIDTH - 8);
    out.println(head);
    for (String l : lines) {
      out.println("        " + l);
    }
  }

  static List<String> wrap(String text, int width) {
    List<String> out = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        out.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      out.add(line.toString());
    }
    return out;
  }

  private static String beamHelp() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(b, true, StandardCharsets.UTF_8)) {
      PipelineOptionsFactory.printHelp(ps);
      for (Class<? extends PipelineOptions> c : PipelineOptionsFactory.getRegisteredOptions()) {
        PipelineOptionsFactory.printHelp(ps, c);
      }
    }
    StringWriter w = new StringWriter();
    w.write(b.toString(StandardCharsets.UTF_8));
    return w.toString();
  }
}
