package dev.trendlake.runners.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * trendlake's one command line: {@code trendlake <command> [options]}, parsed by picocli for every
 * command. {@code run}, {@code sql} and {@code warehouse} are in this jar; {@code ingest}, {@code
 * generate}, {@code bench} and {@code report} are separate deliverables (their own modules, not in
 * the job jar) that join the command line when their jar is on the class path, as {@code
 * ./trendlake} arranges. A bare option list means {@code run}.
 *
 * <p>Exit status: 0 success, 1 the command failed, 2 bad usage (the message names the option and
 * the form it takes), 3 reserved for a run rejected by a quality rule, 4 a run that committed its
 * data but could not publish its CloudWatch metrics ({@code RunSession.METRICS_NOT_PUBLISHED}).
 */
public final class Cli {
  private Cli() {}

  /** Commands that live in other modules: name, class, and where the class comes from. */
  private record Optional(String name, String className, String jar, String summary) {}

  private static final List<Optional> OPTIONAL =
      List.of(
          new Optional(
              "ingest",
              "dev.trendlake.ingest.IngestCommand",
              "ingest/target/trendlake-ingest.jar",
              "YouTube Data API -> bronze"),
          new Optional(
              "generate",
              "dev.trendlake.generate.GenerateCommand",
              "bench/target/trendlake-bench.jar",
              "write a realistic bronze tree of N records"),
          new Optional(
              "bench",
              "dev.trendlake.bench.BenchCommand",
              "bench/target/trendlake-bench.jar",
              "time the pipeline per runner against the parse floor"),
          new Optional(
              "report",
              "dev.trendlake.report.ReportCommand",
              "report/target/trendlake-report.jar",
              "one self-contained HTML report of a lake"));

  private static final Set<String> TOP_LEVEL = Set.of("-h", "--help", "-V", "--version", "help");

  /** The top-level command: lists the commands, prints the version. */
  @Command(
      name = "trendlake",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description =
          "Bronze (YouTube trending CSV and category JSON, local or S3) to silver and gold Parquet"
              + " and a star schema, on Apache Beam.",
      footer = {
        "",
        "Run 'trendlake <command> --help' for a command's options. With no command, 'run'."
      },
      subcommands = {CommandLine.HelpCommand.class})
  static final class Top implements Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }

  /** Runs {@code args} (a command and its options) and returns the exit status. */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    String[] a = args;
    if (a.length == 0 || (a[0].startsWith("-") && !TOP_LEVEL.contains(a[0]))) {
      a = prepend("run", a);
    }
    CommandLine cli = commandLine(out, err);
    if (a.length > 0 && !cli.getSubcommands().containsKey(a[0]) && !a[0].startsWith("-")) {
      for (Optional o : OPTIONAL) {
        if (o.name().equals(a[0])) {
          err.println(
              "trendlake: the "
                  + o.name()
                  + " command is its own jar, "
                  + o.jar()
                  + ", which is not on the class path: use ./trendlake "
                  + o.name()
                  + " (it builds and adds it) or java -jar "
                  + o.jar()
                  + " ...");
          return 2;
        }
      }
    }
    return cli.execute(a);
  }

  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new Top());
    cli.addSubcommand("run", RunCommand.spec());
    cli.addSubcommand("sql", new SqlCommand());
    cli.addSubcommand("warehouse", new WarehouseCommand());
    for (Optional o : OPTIONAL) {
      try {
        Object command = Class.forName(o.className()).getDeclaredConstructor().newInstance();
        cli.addSubcommand(o.name(), command);
      } catch (ReflectiveOperationException | LinkageError e) {
        // not on the class path: listed in the help with where to find it
      }
    }
    List<String> missing = new ArrayList<>();
    for (Optional o : OPTIONAL) {
      if (!cli.getSubcommands().containsKey(o.name())) {
        missing.add(String.format("  %-9s %s (in %s)", o.name(), o.summary(), o.jar()));
      }
    }
    if (!missing.isEmpty()) {
      List<String> footer =
          new ArrayList<>(Arrays.asList(cli.getCommandSpec().usageMessage().footer()));
      footer.add("");
      footer.add("Commands in other jars (./trendlake adds them):");
      footer.addAll(missing);
      cli.getCommandSpec().usageMessage().footer(footer.toArray(new String[0]));
    }
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionStrategy(new CommandLine.RunLast());
    cli.setParameterExceptionHandler(Cli::usageError);
    cli.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          cmd.getErr().println("trendlake " + cmd.getCommandName() + ": " + e.getMessage());
          return 1;
        });
    return cli;
  }

  /**
   * A usage error: the message names the option and the accepted form (picocli's wording), with the
   * closest option names for a typo, and where the help is.
   */
  static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName(" ");
    err.println(name + ": " + e.getMessage());
    if (e instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) {
        err.println("  did you mean " + String.join(" or ", suggestions) + "?");
      }
    }
    err.println("Run '" + name + " --help' for the options.");
    return 2;
  }

  public static String[] prepend(String first, String[] rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
