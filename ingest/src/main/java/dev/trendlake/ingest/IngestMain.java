package dev.trendlake.ingest;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code trendlake ingest}: with {@code --source=youtube} (the default) fetches the most popular
 * videos and the video categories of each region from the YouTube Data API v3 ({@link
 * YouTubeIngest} says where they land), with {@code --source=tmdb} TMDB's TV lists and genres
 * ({@link TmdbIngest}); then prints a summary per region or list.
 *
 * <p>Exit status: 0 when every region (list) was ingested; 1 when any failed or was not fetched (a
 * bad region code, an API error after retries, a malformed answer, the quota spent, the key
 * refused), after the others ran and what was fetched was kept; 2 for bad options or no API key.
 */
public final class IngestMain {
  private static final Logger LOG = LoggerFactory.getLogger(IngestMain.class);
  static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");

  private IngestMain() {}

  /**
   * The ingest jar's entry point: {@code java -jar trendlake-ingest.jar [ingest] --regions=...}
   * (the command name is optional, so the same arguments work here and after {@code trendlake}).
   */
  public static void main(String[] args) {
    String[] a =
        args.length > 0 && args[0].equals("ingest")
            ? java.util.Arrays.copyOfRange(args, 1, args.length)
            : args;
    System.exit(run(a, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, Clock.systemUTC(), System.getenv());
  }

  /**
   * As {@link #run(String[], PrintStream, PrintStream)}, with the clock and environment given
   * (tests).
   */
  public static int run(
      String[] args, PrintStream out, PrintStream err, Clock clock, Map<String, String> env) {
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    int status = IngestCommand.commandLine(new IngestCommand(clock, env), o, e).execute(args);
    o.flush();
    e.flush();
    return status;
  }

  /** Beam's own options (S3 region, endpoint, client factory) configure the file systems. */
  static void configureFileSystems(IngestOptions o) {
    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(o.beamArgs().toArray(new String[0])).create());
  }

  /** Beam's "missing a property" in trendlake's words; other messages as they are. */
  static String reword(IllegalArgumentException e) {
    String m = String.valueOf(e.getMessage());
    java.util.regex.Matcher unknown =
        java.util.regex.Pattern.compile("missing a property named '([^']+)'").matcher(m);
    return unknown.find() ? "unknown option --" + unknown.group(1) : m;
  }

  /** Ingests every region (list) of {@code o}; the exit status. */
  static int ingest(
      IngestOptions o, PrintWriter out, PrintWriter err, Clock clock, Map<String, String> env) {
    String key;
    try {
      key =
          ApiKeys.resolve(
              o.source().keyEnv(), o.apiKeySecretArn(), o.secretsManagerEndpoint(), env);
    } catch (ApiKeys.MissingKeyException e) {
      err.println("trendlake ingest: " + e.getMessage());
      return 2;
    }
    Redactor redactor = new Redactor(key, o.source().keyParam());
    Duration timeout = Duration.ofSeconds(o.requestTimeoutSeconds());
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    RetryPolicy retry =
        new RetryPolicy(
            o.maxAttempts(),
            Duration.ofMillis(o.initialBackoffMillis()),
            Duration.ofMillis(o.maxBackoffMillis()));
    BronzeFiles files = new BronzeFiles(o.output(), redactor);
    if (o.source() == Source.TMDB) {
      ApiClient api =
          new ApiClient(
              http,
              o.apiBaseUrl(),
              TmdbIngest.credential(key),
              retry,
              ApiClient::throttledOrServerError,
              timeout,
              redactor);
      String executionId =
          o.executionId() != null ? o.executionId() : java.util.UUID.randomUUID().toString();
      return ingestTmdb(
          new TmdbIngest(api, files, redactor, o.pages(), clock.instant(), executionId),
          o.lists(),
          files.root(),
          redactor,
          out,
          err);
    }
    ApiClient api =
        new ApiClient(
            http,
            o.apiBaseUrl(),
            ApiClient.Credential.query(Source.YOUTUBE.keyParam(), key),
            retry,
            ApiClient::youTubeTransient,
            timeout,
            redactor);
    List<String> regions = o.regions();
    YouTubeIngest ingest =
        new YouTubeIngest(
            api,
            files,
            redactor,
            o.maxVideos(),
            clock.instant(),
            () -> quotaReset(clock.instant()));

    List<RegionResult> results = new ArrayList<>();
    String stopped = null;
    for (String region : regions) {
      if (stopped != null) {
        results.add(RegionResult.notFetched(region, stopped));
        continue;
      }
      try {
        results.add(ingest.ingest(region));
      } catch (YouTubeIngest.StopException e) {
        results.add(e.result());
        stopped =
            e.result().status() == RegionResult.Status.QUOTA_EXCEEDED
                ? "the daily quota is exceeded"
                : "the API key was refused";
        err.println("trendlake ingest: stopped: " + e.getMessage());
      } catch (IOException | RuntimeException e) {
        String msg = redactor.redact(e.getClass().getSimpleName() + ": " + e.getMessage());
        LOG.warn("{}: could not write bronze: {}", region, msg);
        results.add(
            new RegionResult(
                region,
                RegionResult.Status.FAILED,
                0,
                0,
                -1,
                List.of(),
                "could not write to " + files.root() + ": " + msg));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        results.add(RegionResult.notFetched(region, "interrupted"));
        stopped = "interrupted";
      }
    }
    printSummary(out, err, files.root(), ingest, results);
    return results.stream().allMatch(RegionResult::ok) ? 0 : 1;
  }

  /**
   * Ingests the genre list, then each list in {@code lists}; stops at a refused key, naming what
   * was not fetched; writes the request log; prints the summary. The exit status.
   */
  static int ingestTmdb(
      TmdbIngest ingest,
      List<String> lists,
      String root,
      Redactor redactor,
      PrintWriter out,
      PrintWriter err) {
    List<String> units = new ArrayList<>();
    units.add(TmdbIngest.GENRES);
    units.addAll(lists);
    List<ListResult> results = new ArrayList<>();
    String stopped = null;
    for (String unit : units) {
      if (stopped != null) {
        results.add(ListResult.notFetched(unit, stopped));
        continue;
      }
      try {
        results.add(unit.equals(TmdbIngest.GENRES) ? ingest.genres() : ingest.ingest(unit));
      } catch (TmdbIngest.StopException e) {
        results.add(e.result());
        stopped = "the API key was refused";
        err.println("trendlake ingest: stopped: " + e.getMessage());
      } catch (IOException | RuntimeException e) {
        String msg = redactor.redact(e.getClass().getSimpleName() + ": " + e.getMessage());
        LOG.warn("{}: could not write bronze: {}", unit, msg);
        results.add(
            new ListResult(
                unit,
                RegionResult.Status.FAILED,
                0,
                0,
                List.of(),
                "could not write to " + root + ": " + msg));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        results.add(ListResult.notFetched(unit, "interrupted"));
        stopped = "interrupted";
      }
    }
    boolean logged = true;
    try {
      ingest.writeRequestLog();
    } catch (IOException | RuntimeException e) {
      logged = false;
      err.println(
          "trendlake ingest: could not write "
              + ingest.requestLogPath()
              + ": "
              + redactor.redact(e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    long ok = results.stream().filter(ListResult::ok).count();
    out.printf(
        Locale.ROOT,
        "trendlake ingest --source=tmdb at %s (dt=%s, execution_id=%s) into %s: %d of %d"
            + " lists ingested%n",
        ingest.fetchTime(),
        ingest.dt(),
        ingest.executionId(),
        root,
        ok,
        results.size());
    out.printf(Locale.ROOT, "  %-13s %-12s %7s %6s%n", "list", "status", "records", "pages");
    for (ListResult r : results) {
      out.printf(
          Locale.ROOT,
          "  %-13s %-12s %7d %6d%n",
          r.name(),
          r.status().label(),
          r.records(),
          r.pages());
    }
    for (ListResult r : results) {
      if (r.written().isEmpty()) {
        continue;
      }
      out.println("  " + r.name() + " wrote:");
      for (String f : r.written()) {
        out.println("    " + f);
      }
    }
    if (logged) {
      out.println("  requests logged in " + ingest.requestLogPath());
    }
    for (ListResult r : results) {
      if (!r.ok()) {
        err.println(
            "trendlake ingest: " + r.name() + ": " + r.status().label() + ": " + r.message());
      }
    }
    return logged && ok == results.size() ? 0 : 1;
  }

  /**
   * The quota resets at midnight Pacific time (Google's rule); says when that is from {@code now}.
   */
  static String quotaReset(Instant now) {
    ZonedDateTime pt = now.atZone(PACIFIC);
    ZonedDateTime reset = pt.toLocalDate().plusDays(1).atStartOfDay(PACIFIC);
    Duration left = Duration.between(now, reset.toInstant());
    return String.format(
        Locale.ROOT,
        "The quota resets at midnight Pacific time: %s (%s), in %d h %02d min. What was fetched"
            + " before the stop is kept.",
        reset.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ROOT)),
        DateTimeFormatter.ISO_INSTANT.format(reset.toInstant().atOffset(ZoneOffset.UTC)),
        left.toHours(),
        left.toMinutesPart());
  }

  static void printSummary(
      PrintWriter out,
      PrintWriter err,
      String root,
      YouTubeIngest ingest,
      List<RegionResult> results) {
    long ok = results.stream().filter(RegionResult::ok).count();
    out.printf(
        Locale.ROOT,
        "trendlake ingest at %s (ts=%s) into %s: %d of %d regions ingested%n",
        ingest.trendingDate(),
        ingest.ts(),
        root,
        ok,
        results.size());
    out.printf(
        Locale.ROOT,
        "  %-6s %-15s %7s %6s %11s%n",
        "region",
        "status",
        "videos",
        "pages",
        "categories");
    for (RegionResult r : results) {
      out.printf(
          Locale.ROOT,
          "  %-6s %-15s %7d %6d %11s%n",
          r.region(),
          r.status().label(),
          r.videos(),
          r.pages(),
          r.categories() < 0 ? "-" : String.valueOf(r.categories()));
    }
    for (RegionResult r : results) {
      if (r.written().isEmpty()) {
        continue;
      }
      out.println("  " + r.region() + " wrote:");
      for (String f : r.written()) {
        out.println("    " + f);
      }
    }
    for (RegionResult r : results) {
      if (!r.ok()) {
        err.println(
            "trendlake ingest: " + r.region() + ": " + r.status().label() + ": " + r.message());
      }
    }
  }
}
