package dev.trendlake.bench;

import dev.trendlake.generate.GenerateCommand;
import dev.trendlake.runners.cli.Cli;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trendlake bench}: generates the input once per size (or takes {@code --input}), measures
 * the parse floor, then runs the pipeline per runner in a child JVM ({@link Bench}).
 */
@Command(
    name = "bench",
    description = {
      "Generates the input once per size (or takes --input), measures the parse floor (the same"
          + " CSV reader, one thread, no Beam), then runs the pipeline per runner in a child JVM"
          + " and reports wall time, rows/s, MB/s, CPU time, peak RSS and heap, and the ratio to"
          + " the parse floor."
    })
public final class BenchCommand implements Callable<Integer> {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "This help.")
  boolean help;

  @Option(
      names = "--rows",
      split = ",",
      paramLabel = "N[,M...]",
      defaultValue = "1m",
      converter = GenerateCommand.CountConverter.class,
      description = "Sizes to generate (default ${DEFAULT-VALUE}).")
  List<Long> rows;

  @Option(names = "--input", paramLabel = "<folder>", description = "Use this bronze instead.")
  String input;

  @Option(
      names = "--runners",
      split = ",",
      paramLabel = "direct,flink",
      defaultValue = "direct,flink",
      description = "Runners to time (default ${DEFAULT-VALUE}).")
  List<Runner> runners;

  /** The runners the bench times. */
  enum Runner {
    direct,
    flink
  }

  @Option(
      names = "--parallelism",
      paramLabel = "P",
      defaultValue = "2",
      description = "Flink parallelism / DirectRunner threads (default ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      defaultValue = "1",
      description = "Runs per runner and size (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--work",
      paramLabel = "<folder>",
      description = "Inputs, outputs and logs (default $TMPDIR/trendlake-bench).")
  Path work;

  @Option(
      names = "--results",
      paramLabel = "<file>",
      description = "JSON results (default <work>/results.json).")
  Path results;

  @Option(names = "--regions", paramLabel = "us,gb", description = "Regions to generate.")
  String regions;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Generator seed.")
  long seed;

  @Option(
      names = "--javaOpts",
      paramLabel = "'-Xmx..'",
      description =
          "JVM options of each run (default $TRENDLAKE_JAVA_OPTS, else as 'trendlake run' picks"
              + " them: a fixed heap for Flink, the JVM's default for the DirectRunner).")
  String javaOpts;

  @Option(
      names = "--classpath",
      paramLabel = "<class path>",
      description = "Class path of the runs (default this JVM's).")
  String classpath;

  @Option(
      names = "--runArg",
      paramLabel = "--x=y",
      description = "Extra option for 'trendlake run' (repeatable).")
  List<String> runArgs = new ArrayList<>();

  @Spec CommandSpec spec;

  /** Runs {@code trendlake bench} with these options, as the command line does (tests, bench). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Cli.execute(Cli.prepend("bench", args), out, err);
  }

  @Override
  public Integer call() {
    if (repeat < 1 || parallelism < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--repeat and --parallelism must be at least 1");
    }
    Path w =
        work != null ? work : Paths.get(System.getProperty("java.io.tmpdir"), "trendlake-bench");
    String env = System.getenv("TRENDLAKE_JAVA_OPTS");
    String opts = javaOpts != null ? javaOpts : env;
    Bench.Config c =
        new Bench.Config(
            rows,
            runners.stream().map(Enum::name).toList(),
            input,
            w.toAbsolutePath(),
            parallelism,
            repeat,
            results != null ? results : w.resolve("results.json"),
            regions,
            seed,
            opts == null || opts.isBlank() ? List.of() : List.of(opts.trim().split("\\s+")),
            classpath != null ? classpath : System.getProperty("java.class.path"),
            runArgs);
    return Bench.execute(c, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
