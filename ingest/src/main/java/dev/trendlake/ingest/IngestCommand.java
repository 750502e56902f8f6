package dev.trendlake.ingest;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code trendlake ingest}: the options (parsed by picocli, checked by {@link IngestOptions}, all
 * problems at once) and the run ({@link IngestMain}). Any other {@code --option} configures Beam's
 * file systems, so an {@code s3://} output works as it does for {@code trendlake run}.
 */
@Command(
    name = "ingest",
    description = {
      "Fetches an API's lists into bronze, ready for 'trendlake run --input=<bronze root>'.",
      "--source=youtube (the default): the most popular videos (videos.list chart=mostPopular)"
          + " and the video categories of each region from the YouTube Data API v3; the key comes"
          + " from YOUTUBE_API_KEY.",
      "--source=tmdb: TMDB's TV lists (popular, trending, airing_today) and TV genres from its API"
          + " v3, for 'trendlake run --dataset=tmdb'; the key (a v3 API key or the API Read Access"
          + " Token) comes from TMDB_API_KEY.",
      "Either key may come from --apiKeySecretArn (AWS Secrets Manager) instead, and is never"
          + " printed."
    },
    footer = {
      "",
      "Exit status: 0 all regions (lists) ingested, 1 any failed or was not fetched, 2 bad options"
          + " or no key.",
      "For an s3:// output, Beam's AWS options apply as for 'trendlake run': --awsRegion,"
          + " --endpoint, --s3PathStyleAccess...",
      "",
      "Examples: trendlake ingest --regions=us,gb --output=s3://my-bronze/youtube",
      "          trendlake ingest --source=tmdb --lists=popular,trending --output=/data/bronze"
    })
public final class IngestCommand implements Callable<Integer> {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "This help.")
  boolean help;

  @Option(
      names = "--source",
      paramLabel = "youtube|tmdb",
      description = "The API to ingest (default youtube).")
  String source;

  @Option(
      names = "--regions",
      paramLabel = "us,gb,...",
      description =
          "YouTube: comma-separated two-letter region codes to fetch (any case). Required.")
  String regions;

  @Option(
      names = "--lists",
      paramLabel = "popular,trending,airing_today",
      description = "TMDB: the TV lists to fetch (default all three).")
  String lists;

  @Option(
      names = "--pages",
      paramLabel = "<n>",
      description = "TMDB: most pages of 20 shows per list, 1 to 500 (default 5).")
  String pages;

  @Option(
      names = "--executionId",
      paramLabel = "<id>",
      description =
          "TMDB: the run's id in every page's _metadata.execution_id (default a new UUID; a"
              + " scheduler may pass its own).")
  String executionId;

  @Option(
      names = "--output",
      paramLabel = "<folder or s3://bucket/prefix>",
      description = "Bronze root to write. Required.")
  String output;

  @Option(
      names = "--maxVideos",
      paramLabel = "<n>",
      description = "YouTube: most videos per region, in pages of at most 50 (default 200).")
  String maxVideos;

  @Option(
      names = "--apiBaseUrl",
      paramLabel = "<url>",
      description = "Base URL of the API (default the real one of the source).")
  String apiBaseUrl;

  @Option(
      names = "--apiKeySecretArn",
      paramLabel = "<arn or name>",
      description =
          "AWS Secrets Manager secret holding the API key, as plain text or JSON"
              + " {\"YOUTUBE_API_KEY\": \"...\"} ({\"TMDB_API_KEY\": \"...\"}); without it the"
              + " key comes from that environment variable.")
  String apiKeySecretArn;

  @Option(
      names = "--secretsManagerEndpoint",
      paramLabel = "<url>",
      description = "Endpoint override for Secrets Manager (a VPC endpoint, a test server).")
  String secretsManagerEndpoint;

  @Option(
      names = "--maxAttempts",
      paramLabel = "<n>",
      description = "Attempts per API request on HTTP 429, 5xx and network errors (default 5).")
  String maxAttempts;

  @Option(
      names = "--initialBackoffMillis",
      paramLabel = "<ms>",
      description = "Wait before the first retry; doubles per retry, with jitter (default 1000).")
  String initialBackoffMillis;

  @Option(
      names = "--maxBackoffMillis",
      paramLabel = "<ms>",
      description = "Longest wait, also the cap on a server's Retry-After (default 32000).")
  String maxBackoffMillis;

  @Option(
      names = "--requestTimeoutSeconds",
      paramLabel = "<s>",
      description = "Timeout of one HTTP request (default 30).")
  String requestTimeoutSeconds;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Spec CommandSpec spec;

  private final Clock clock;
  private final Map<String, String> env;

  public IngestCommand() {
    this(Clock.systemUTC(), System.getenv());
  }

  /** With the clock and environment given (tests). */
  IngestCommand(Clock clock, Map<String, String> env) {
    this.clock = clock;
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> given = new LinkedHashMap<>();
    given.put("source", source);
    given.put("regions", regions);
    given.put("lists", lists);
    given.put("pages", pages);
    given.put("executionId", executionId);
    given.put("output", output);
    given.put("maxVideos", maxVideos);
    given.put("apiBaseUrl", apiBaseUrl);
    given.put("apiKeySecretArn", apiKeySecretArn);
    given.put("secretsManagerEndpoint", secretsManagerEndpoint);
    given.put("maxAttempts", maxAttempts);
    given.put("initialBackoffMillis", initialBackoffMillis);
    given.put("maxBackoffMillis", maxBackoffMillis);
    given.put("requestTimeoutSeconds", requestTimeoutSeconds);
    IngestOptions o;
    try {
      o = IngestOptions.validate(given, beamArgs);
      IngestMain.configureFileSystems(o);
    } catch (IllegalArgumentException e) {
      err.println("trendlake ingest: " + IngestMain.reword(e));
      err.println("Run 'trendlake ingest --help' for the options.");
      return 2;
    }
    return IngestMain.ingest(o, out, err, clock, env);
  }

  static CommandLine commandLine(IngestCommand command, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(command);
    cli.setOut(out);
    cli.setErr(err);
    return cli;
  }
}
