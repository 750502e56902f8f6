package dev.trendlake.generate;

import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.runners.cli.Cli;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code trendlake generate --rows=N --output=<folder or s3://...> [--regions=us,gb] [--seed=S]
 * [--fileMegabytes=64] [--overwrite]}: writes a YouTube bronze tree with {@link BronzeGenerator};
 * with {@code --dataset=tmdb [--lists=...] [--days=D]} a TMDB one with {@link TmdbBronzeGenerator}.
 * Options it does not know (such as {@code --endpoint}, {@code --awsRegion}, {@code
 * --s3ClientFactoryClass}) configure Beam's file systems, so S3 works as in {@code run}. Exit
 * status 0, 1 when writing failed, or 2 for bad options.
 */
@Command(
    name = "generate",
    description = {
      "Writes a realistic bronze tree (YouTube: both CSV layouts, category JSON per region; TMDB:"
          + " list pages per list and day, bare and wrapped, and the genre list; a small fixed"
          + " share of every kind of bad record and duplicates) and _expected.json, the counts a"
          + " correct run must report. The same options always give the same bytes."
    },
    footer = {"", "S3: --endpoint, --awsRegion, --s3PathStyleAccess... as for 'trendlake run'."})
public final class GenerateCommand implements Callable<Integer> {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "This help.")
  boolean help;

  @Option(
      names = "--rows",
      required = true,
      paramLabel = "N",
      converter = CountConverter.class,
      description = "Records to write (1000, 250k, 1m, ...).")
  long rows;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "<folder or s3://bucket/prefix>",
      description = "Bronze root to write.")
  String output;

  @Option(
      names = "--dataset",
      paramLabel = "youtube|tmdb",
      defaultValue = "youtube",
      description = "The dataset whose bronze to write (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(
      names = "--regions",
      split = ",",
      paramLabel = "us,gb,...",
      description = "YouTube: regions (default: ${DEFAULT-VALUE}).",
      defaultValue = "us,gb,ca,de,fr,in,jp,kr,mx,ru")
  List<String> regions;

  @Option(
      names = "--lists",
      split = ",",
      paramLabel = "popular,trending,airing_today",
      description = "TMDB: the lists (default: ${DEFAULT-VALUE}).",
      defaultValue = "popular,trending,airing_today")
  List<String> lists;

  @Option(
      names = "--days",
      paramLabel = "D",
      defaultValue = "7",
      description = "TMDB: consecutive days each list is pulled (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed.")
  long seed;

  @Option(
      names = "--fileMegabytes",
      paramLabel = "M",
      defaultValue = "64",
      description = "Roll CSV files over at about M MB (default ${DEFAULT-VALUE}).")
  long fileMb;

  @Option(
      names = "--filePerDay",
      description =
          "Start a new file for every trending day (under its own ts=<date> folder), as a daily"
              + " fetch writes them: arrival batches for incremental runs.")
  boolean filePerDay;

  @Option(
      names = "--overwrite",
      description =
          "Replace raw_statistics/ and raw_statistics_reference_data/ (TMDB: raw_tmdb/) if"
              + " present.")
  boolean overwrite;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Spec CommandSpec spec;

  /** {@code N} with an optional k or m suffix. */
  public static final class CountConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return parseCount(value);
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a count (for example 1000, 250k or 1m)");
      }
    }
  }

  /**
   * Runs {@code trendlake generate} with these options, as the command line does (tests, bench).
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Cli.execute(Cli.prepend("generate", args), out, err);
  }

  /** The options only one dataset takes, and that dataset. */
  private static final List<List<String>> OWN =
      List.of(
          List.of("--regions", "youtube"),
          List.of("--fileMegabytes", "youtube"),
          List.of("--filePerDay", "youtube"),
          List.of("--lists", "tmdb"),
          List.of("--days", "tmdb"));

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> problems = new ArrayList<>();
    String name = dataset.strip().toLowerCase(Locale.ROOT);
    if (!List.of("youtube", "tmdb").contains(name)) {
      problems.add("--dataset must be youtube or tmdb, not '" + dataset + "'");
    }
    for (List<String> own : OWN) {
      if (spec.commandLine().getParseResult().hasMatchedOption(own.get(0))
          && !own.get(1).equals(name)) {
        problems.add(own.get(0) + " is an option of --dataset=" + own.get(1));
      }
    }
    if (name.equals("tmdb")) {
      return generateTmdb(problems, out, err);
    }
    List<String> regionCodes =
        regions.stream().map(r -> r.strip().toLowerCase(Locale.ROOT)).toList();
    String target = StorePaths.absolute(output);
    BronzeGenerator.Settings settings = null;
    try {
      settings =
          new BronzeGenerator.Settings(rows, target, regionCodes, seed, fileMb << 20, filePerDay);
      if (StorePaths.isLocal(target)
          && Files.exists(StorePaths.local(target).resolve("raw_statistics"))
          && !overwrite) {
        problems.add(
            "--output "
                + output
                + " already holds raw_statistics/: pass --overwrite to replace it");
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    PipelineOptions options = beamOptions(problems);
    if (!problems.isEmpty()) {
      err.println("trendlake generate: " + String.join("\n  ", problems));
      err.println("Run 'trendlake generate --help' for the options.");
      return 2;
    }
    FileSystems.setDefaultPipelineOptions(options);
    long start = System.nanoTime();
    try {
      if (StorePaths.isLocal(settings.output())) {
        deleteTree(StorePaths.local(settings.output()).resolve("raw_statistics"));
        deleteTree(StorePaths.local(settings.output()).resolve("raw_statistics_reference_data"));
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

  private Integer generateTmdb(List<String> problems, PrintWriter out, PrintWriter err) {
    String target = StorePaths.absolute(output);
    TmdbBronzeGenerator.Settings settings = null;
    try {
      settings =
          new TmdbBronzeGenerator.Settings(
              rows,
              target,
              lists.stream().map(l -> l.strip().toLowerCase(Locale.ROOT)).toList(),
              days,
              seed);
      if (StorePaths.isLocal(target)
          && Files.exists(StorePaths.local(target).resolve("raw_tmdb"))
          && !overwrite) {
        problems.add(
            "--output " + output + " already holds raw_tmdb/: pass --overwrite to replace it");
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    PipelineOptions options = beamOptions(problems);
    if (!problems.isEmpty()) {
      err.println("trendlake generate: " + String.join("\n  ", problems));
      err.println("Run 'trendlake generate --help' for the options.");
      return 2;
    }
    FileSystems.setDefaultPipelineOptions(options);
    long start = System.nanoTime();
    try {
      if (StorePaths.isLocal(settings.output())) {
        deleteTree(StorePaths.local(settings.output()).resolve("raw_tmdb"));
      }
      Expected e = TmdbBronzeGenerator.generate(settings);
      out.printf(
          Locale.ROOT,
          "trendlake generate --dataset=tmdb: wrote %d records (%d to silver, %d quarantined, %d"
              + " duplicates) in %d JSON files over %d list(s) and %d day(s), %.1f MB, to %s in"
              + " %.1f s%n",
          e.total(r -> r.records),
          e.total(r -> r.silver),
          e.total(Expected.Region::quarantined),
          e.total(r -> r.duplicates),
          e.total(r -> r.files),
          settings.lists().size(),
          settings.days(),
          e.total(r -> r.bytes) / 1e6,
          settings.output(),
          (System.nanoTime() - start) / 1e9);
      return 0;
    } catch (IOException e) {
      err.println(
          "trendlake generate: could not write to " + settings.output() + ": " + e.getMessage());
      return 1;
    }
  }

  private PipelineOptions beamOptions(List<String> problems) {
    try {
      return PipelineOptionsFactory.fromArgs(beamArgs.toArray(new String[0])).create();
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return null;
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
}
