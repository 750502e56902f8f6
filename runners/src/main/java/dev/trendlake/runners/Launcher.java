package dev.trendlake.runners;

import dev.trendlake.generate.GenerateCommand;
import dev.trendlake.ingest.IngestMain;
import dev.trendlake.pipeline.TrendlakeMain;
import dev.trendlake.pipeline.warehouse.SqlCommand;
import java.util.Arrays;

/**
 * The bundled jar's entry point. {@code java -jar trendlake-bundled.jar [run] [--option=value ...]}
 * and {@code flink run trendlake-bundled.jar ...} both land here; the first argument may name a
 * command, and a bare option list means {@code run}. Runner-specific defaults are applied here, at
 * launch, so the graph never knows which runner it is on. Started without arguments where Managed
 * Service for Apache Flink's runtime properties hold a {@code TrendlakeOptions} group, it hands
 * over to {@link ManagedFlinkMain}.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    if (args.length == 0 && ManagedFlinkMain.onService()) {
      // Managed Service for Apache Flink starts the jar's Main-Class without arguments.
      ManagedFlinkMain.main(args);
      return;
    }
    String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : "run";
    String[] rest =
        args.length > 0 && !args[0].startsWith("-")
            ? Arrays.copyOfRange(args, 1, args.length)
            : args;
    RunStats.installIfRequested();
    int status;
    switch (command) {
      case "run" -> status = TrendlakeMain.run(RunnerDefaults.apply(rest), System.out, System.err);
      case "ingest" -> status = IngestMain.run(rest, System.out, System.err);
      case "sql" -> status = SqlCommand.run(rest, System.out, System.err);
      case "generate" -> status = GenerateCommand.run(rest, System.out, System.err);
      case "help", "--help", "-h" -> {
        usage();
        status = 0;
      }
      default -> {
        System.err.println("trendlake: unknown command '" + command + "'");
        usage();
        status = 2;
      }
    }
    System.exit(status);
  }

  private static void usage() {
    System.out.println("Usage: trendlake <command> [--option=value ...]");
    System.out.println("Commands:");
    System.out.println(
        "  run       bronze -> silver + gold (+ warehouse); './trendlake run --help' lists its"
            + " options");
    System.out.println(
        "  ingest    YouTube Data API -> bronze; './trendlake ingest --help' lists its options");
    System.out.println(
        "  sql       \"<query>\" against the warehouse of the last local run, printed as a table");
    System.out.println(
        "  generate  write a realistic bronze tree of N records; './trendlake generate --help'");
  }
}
