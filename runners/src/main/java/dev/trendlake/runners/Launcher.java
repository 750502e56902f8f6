package dev.trendlake.runners;

import dev.trendlake.runners.cli.Cli;

/**
 * The bundled jar's entry point. {@code java -jar trendlake-bundled.jar <command> [options]},
 * {@code ./trendlake} and {@code flink run trendlake-bundled.jar ...} all land here and go to the
 * one command line ({@link Cli}). Started without arguments where Managed Service for Apache
 * Flink's runtime properties hold a {@code TrendlakeOptions} group, it hands over to {@link
 * ManagedFlinkMain}. An embedded Flink run named on the command line moves to a JVM that fits it
 * before anything else ({@link Relaunch#early}); then logging is configured ({@link LogSetup}),
 * before anything logs.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    int moved = Relaunch.early(args);
    if (moved >= 0) {
      System.exit(moved);
    }
    LogSetup.configure(args);
    if (args.length == 0 && ManagedFlinkMain.onService()) {
      // Managed Service for Apache Flink starts the jar's Main-Class without arguments.
      ManagedFlinkMain.main(args);
      return;
    }
    RunStats.installIfRequested();
    System.exit(Cli.execute(args, System.out, System.err));
  }
}
