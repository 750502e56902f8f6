package dev.trendlake.runners.cli;

import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.pipeline.config.RunConfigValidator;
import dev.trendlake.pipeline.config.RunOption;
import dev.trendlake.runners.run.RunSession;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code trendlake run}: its options are built from {@link RunOption} (one declaration for the
 * command line, the Managed Flink property group, the help and the validator); any other {@code
 * --option} goes to Beam, which names it if it doesn't exist. The values are checked by {@link
 * RunConfigValidator}, all problems at once, and the run itself is a {@link RunSession}.
 */
public final class RunCommand {
  private RunCommand() {}

  /** The picocli model of {@code run}. */
  static CommandSpec spec() {
    CommandSpec[] self = new CommandSpec[1];
    CommandSpec spec =
        CommandSpec.wrapWithoutInspection(
            (Callable<Integer>)
                () -> {
                  CommandLine cmd = self[0].commandLine();
                  return execute(cmd.getParseResult(), cmd.getOut(), cmd.getErr());
                });
    self[0] = spec;
    spec.name("run");
    spec.usageMessage().description("Bronze to silver + gold (+ warehouse).");
    for (RunOption o : RunOption.values()) {
      // a switch (--quiet, --breakLock) may stand alone, meaning true
      boolean flag = o.form().equals("true|false");
      OptionSpec.Builder b =
          OptionSpec.builder(o.flag())
              .paramLabel(o.form())
              .type(String.class)
              .arity(flag ? "0..1" : "1")
              .description(o.description());
      spec.addOption(flag ? b.fallbackValue("true").build() : b.build());
    }
    spec.addOption(
        OptionSpec.builder("-h", "--help")
            .arity("0..1")
            .paramLabel("all")
            .type(String.class)
            .fallbackValue("short")
            .description("This help; --help=all adds every Beam option.")
            .build());
    spec.parser().unmatchedArgumentsAllowed(true);
    spec.parser().unmatchedOptionsArePositionalParams(false);
    return spec;
  }

  /** The exit status of {@code run} with these options (tests call this directly). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Cli.execute(Cli.prepend("run", args), out, err);
  }

  /**
   * The checked config of {@code run} with these options, without running (tests, checks).
   *
   * @throws RunConfigValidator.InvalidOptions with every problem found
   */
  public static RunConfig parse(String... args) {
    CommandLine cmd = new CommandLine(spec());
    return config(cmd.parseArgs(args));
  }

  static int execute(CommandLine.ParseResult parsed, PrintWriter out, PrintWriter err) {
    CommandLine.ParseResult pr = parsed;
    if (pr.hasMatchedOption("--help")) {
      RunHelp.print(out, "all".equals(pr.matchedOptionValue("--help", "short")));
      return 0;
    }
    RunConfig config;
    try {
      config = config(pr);
    } catch (RunConfigValidator.InvalidOptions e) {
      err.println("trendlake run: " + e.getMessage());
      err.println("Run 'trendlake run --help' for the options.");
      return 2;
    }
    return RunSession.run(config, out, err);
  }

  private static RunConfig config(CommandLine.ParseResult pr) {
    Map<RunOption, String> values = new EnumMap<>(RunOption.class);
    for (RunOption o : RunOption.values()) {
      if (pr.hasMatchedOption(o.flag())) {
        values.put(o, pr.matchedOptionValue(o.flag(), (String) null));
      }
    }
    List<String> beamArgs = new ArrayList<>(pr.unmatched());
    for (RunOption o : RunOption.values()) {
      String v = values.get(o);
      if (o.form().equals("true|false") && v != null && v.startsWith("--")) {
        // a switch alone, followed by a Beam option picocli took for its optional value
        values.put(o, "true");
        beamArgs.add(0, v);
      }
    }
    values.putIfAbsent(RunOption.INPUT, Defaults.input());
    if (!values.containsKey(RunOption.WAREHOUSE) && Defaults.onACluster(values)) {
      // a job submitted to a cluster has no local machine to keep an embedded warehouse on
      values.put(RunOption.WAREHOUSE, "none");
    }
    return RunConfigValidator.validate(values, beamArgs);
  }
}
