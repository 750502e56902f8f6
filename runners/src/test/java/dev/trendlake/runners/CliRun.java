package dev.trendlake.runners;

import dev.trendlake.runners.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A trendlake command line run in this JVM, as the bundled jar's main runs it: status and output.
 */
public record CliRun(int status, String out, String err) {
  public static CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Cli.execute(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliRun(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** {@code trendlake run} with these options. */
  public static CliRun run(String... options) {
    return of(Cli.prepend("run", options));
  }

  public String all() {
    return out + err;
  }
}
