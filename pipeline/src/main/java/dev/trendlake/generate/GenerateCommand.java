package dev.trendlake.generate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code trendlake generate --rows=N --output=<folder or s3://...> [--regions=us,gb] [--seed=S]
 * [--fileMegabytes=64] [--overwrite]}: writes a bronze tree with {@link BronzeGenerator}. Options
 * it does not know (such as {@code --endpoint}, {@code --awsRegion}, {@code
 * --s3ClientFactoryClass}) configure Beam's file systems, so S3 works as in {@code run}. Exit
 * status 0, or 2 for bad options.
 */
public final class GenerateCommand {
  private GenerateCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    long rows = -1;
    String output = null;
    List<String> regions = BronzeGenerator.DEFAULT_REGIONS;
    long seed = 1;
    long fileMb = 64;
    boolean overwrite = false;
    List<String> beamArgs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        usage(out);
        return 0;
      }
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
      try {
        switch (name) {
          case "--rows" -> rows = parseCount(value);
          case "--output" -> output = value;
          case "--regions" ->
              regions =
                  Arrays.stream(value.split(","))
                      .map(s -> s.strip().toLowerCase(Locale.ROOT))
                      .toList();
          case "--seed" -> seed = Long.parseLong(value);
          case "--fileMegabytes" -> fileMb = Long.parseLong(value);
          case "--overwrite" -> overwrite = value == null || Boolean.parseBoolean(value);
          default -> beamArgs.add(a);
        }
      } catch (RuntimeException e) {
        problems.add(name + ": '" + value + "' is not a valid value");
      }
    }
    if (rows < 0) {
      problems.add("--rows=N is required (for example --rows=1000000 or --rows=1m)");
    }
    if (output == null || output.isBlank()) {
      problems.add("--output=<bronze folder or s3://bucket/prefix> is required");
    }
    BronzeGenerator.Settings settings = null;
    if (problems.isEmpty()) {
      try {
        String target = absolute(output);
        settings = new BronzeGenerator.Settings(rows, target, regions, seed, fileMb << 20);
        if (isLocal(target)) {
          Path p = Paths.get(target);
          if (Files.exists(p.resolve("raw_statistics")) && !overwrite) {
            problems.add(
                "--output "
                    + output
                    + " already holds raw_statistics/: pass --overwrite to replace it");
          }
        }
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      err.println("trendlake generate: " + String.join("\n  ", problems));
      err.println("Run './trendlake generate --help' for the options.");
      return 2;
    }
    PipelineOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(beamArgs.toArray(new String[0])).create();
    } catch (IllegalArgumentException e) {
      err.println("trendlake generate: " + e.getMessage());
      return 2;
    }
    FileSystems.setDefaultPipelineOptions(options);
    long start = System.nanoTime();
    try {
      if (isLocal(settings.output())) {
        deleteTree(Paths.get(settings.output()).resolve("raw_statistics"));
        deleteTree(Paths.get(settings.output()).resolve("raw_statistics_reference_data"));
      }
      Expected e = BronzeGenerator.generate(settings);
      double secs = (System.nanoTime() - start) / 1e9;
      out.printf(
          Locale.ROOT,
          "trendlake generate: wrote %d records (%d to silver, %d quarantined, %d duplicates) in %d"
              + " CSV files, %.1f MB, to %s in %.1f s%n",
          e.total(r -> r.records),
          e.total(r -> r.silver),
          e.total(Expected.Region::quarantined),
          e.total(r -> r.duplicates),
          e.total(r -> r.files),
          e.total(r -> r.bytes) / 1e6,
          settings.output(),
          secs);
      return 0;
    } catch (IOException e) {
      err.println(
          "trendlake generate: could not write to " + settings.output() + ": " + e.getMessage());
      return 1;
    }
  }

  /** 1000, 250k, 1m, 4M. */
  static long parseCount(String v) {
    String s = v.strip().toLowerCase(Locale.ROOT).replace("_", "");
    long mult = 1;
    if (s.endsWith("k")) {
      mult = 1_000;
      s = s.substring(0, s.length() - 1);
    } else if (s.endsWith("m")) {
      mult = 1_000_000;
      s = s.substring(0, s.length() - 1);
    }
    return Math.multiplyExact(Long.parseLong(s), mult);
  }

  static boolean isLocal(String path) {
    return !path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || path.startsWith("file://");
  }

  static String absolute(String path) {
    if (!isLocal(path)) {
      return path;
    }
    String p = path.startsWith("file://") ? path.substring(7) : path;
    return Paths.get(p).toAbsolutePath().normalize().toString();
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  static void usage(PrintStream out) {
    out.println(
        "Usage: ./trendlake generate --rows=N --output=<bronze folder or s3://bucket/prefix>"
            + " [options]");
    out.println();
    out.println(
        "Writes a realistic bronze tree (both CSV layouts, category JSON per region, a small fixed"
            + " share of");
    out.println(
        "every kind of bad record) and _expected.json, the counts a correct run must report.");
    out.println("The same options always give the same bytes.");
    out.println();
    out.println("  --rows=N             records to write (1000, 250k, 1m, ...)");
    out.println("  --output=PATH        bronze root to write (local folder or s3://bucket/prefix)");
    out.println(
        "  --regions=us,gb,...  regions (default "
            + String.join(",", BronzeGenerator.DEFAULT_REGIONS)
            + ")");
    out.println("  --seed=S             random seed (default 1)");
    out.println("  --fileMegabytes=M    roll CSV files over at about M MB (default 64)");
    out.println(
        "  --overwrite          replace raw_statistics/ and raw_statistics_reference_data/ if"
            + " present");
    out.println("  (S3: --endpoint, --awsRegion, --s3ClientFactoryClass as for 'run')");
  }
}
