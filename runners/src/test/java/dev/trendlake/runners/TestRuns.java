package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;

import dev.trendlake.runners.cli.RunCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Runs trendlake in this JVM over testdata/bronze, the way the bundled jar's main does. */
final class TestRuns {
  private TestRuns() {}

  private static LakeSnapshot direct;

  static Path bronze() {
    Path p =
        Paths.get(System.getProperty("trendlake.testdata", "../testdata"), "bronze")
            .toAbsolutePath()
            .normalize();
    if (!Files.isDirectory(p.resolve("raw_statistics"))) {
      throw new IllegalStateException("testdata/bronze not found at " + p);
    }
    return p;
  }

  static Path newOutput(String label) {
    try {
      Path base = Paths.get("target", "runs").toAbsolutePath();
      Files.createDirectories(base);
      return Files.createTempDirectory(base, label + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The DirectRunner's output for testdata/bronze, computed once per JVM: the reference every
   * runner must match.
   */
  static synchronized LakeSnapshot direct() {
    if (direct == null) {
      direct = launch("direct", "--runner=DirectRunner");
      LakeSnapshot.assertPlausible(direct);
    }
    return direct;
  }

  /**
   * Runs {@code trendlake run} (the launcher's path, runner defaults included) with the options.
   */
  static LakeSnapshot launch(String label, String... options) {
    Path out = newOutput(label);
    List<String> args =
        new ArrayList<>(List.of("--input=" + bronze(), "--output=" + out, "--warehouse=none"));
    args.addAll(List.of(options));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int status;
    try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      status = RunCommand.run(args.toArray(new String[0]), ps, ps);
    }
    assertEquals(label + " run failed:\n" + buf.toString(StandardCharsets.UTF_8), 0, status);
    return LakeSnapshot.of(out);
  }
}
