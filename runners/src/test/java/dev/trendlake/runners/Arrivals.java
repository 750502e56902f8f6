package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A bronze folder that fills up in arrival batches, as a scheduled deployment sees it, and the runs
 * over it: each batch's files are copied in (keeping their relative paths), then a run. The
 * equivalence tests compare what incremental runs per batch leave with one full run over the same
 * folder, so every file's change token is the same for both.
 */
final class Arrivals {
  final Path source;
  final Path bronze;

  Arrivals(Path source, Path bronze) {
    this.source = source;
    this.bronze = bronze;
  }

  /** Copies the files (relative to the source root) into the bronze folder. */
  void arrive(List<String> files) {
    for (String f : files) {
      try {
        Path to = bronze.resolve(f);
        Files.createDirectories(to.getParent());
        Files.copy(source.resolve(f), to, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Writes a file into the bronze folder that the source does not have. */
  void write(String relative, String text) {
    try {
      Path to = bronze.resolve(relative);
      Files.createDirectories(to.getParent());
      Files.writeString(to, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code trendlake run} over the bronze folder into {@code output}, on the CLI's path; without a
   * warehouse unless the options name one.
   */
  CliRun run(Path output, String... options) {
    List<String> args = new ArrayList<>(List.of("run", "--input=" + bronze, "--output=" + output));
    if (java.util.Arrays.stream(options).noneMatch(o -> o.startsWith("--warehouse="))) {
      args.add("--warehouse=none");
    }
    args.addAll(List.of(options));
    return CliRun.of(args.toArray(new String[0]));
  }

  static CliRun succeeded(CliRun r) {
    assertEquals("exit status; output:\n" + r.all(), 0, r.status());
    return r;
  }

  /** The state sections of {@code _manifests/latest.json}: the lake's cumulative account. */
  static JsonNode lakeState(Path output) {
    try {
      String text = Files.readString(output.resolve("_manifests/latest.json"));
      ObjectNode m = (ObjectNode) new ObjectMapper().readTree(text);
      ObjectNode out = new ObjectMapper().createObjectNode();
      for (String k : List.of("files", "partitions", "regions", "totals", "categories")) {
        out.set(k, m.get(k));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last run's own section of {@code _manifests/latest.json}. */
  static JsonNode lastRun(Path output) {
    try {
      return new ObjectMapper()
          .readTree(Files.readString(output.resolve("_manifests/latest.json")))
          .path("run");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fails unless both outputs hold the same rows per folder and the same lake state. */
  static void assertSameLake(String what, Path expected, Path actual) {
    SortedMap<String, List<String>> e = LakeSnapshot.digestsOf(expected);
    SortedMap<String, List<String>> a = LakeSnapshot.digestsOf(actual);
    assertEquals(what + ": folders written", e.keySet(), a.keySet());
    for (Map.Entry<String, List<String>> f : e.entrySet()) {
      if (!f.getValue().equals(a.get(f.getKey()))) {
        assertEquals(
            what + ": rows of " + f.getKey(),
            LakeSnapshot.rowsOf(expected, f.getKey()),
            LakeSnapshot.rowsOf(actual, f.getKey()));
      }
    }
    assertEquals(
        what + ": lake state in latest.json",
        lakeState(expected).toPrettyString(),
        lakeState(actual).toPrettyString());
  }
}
