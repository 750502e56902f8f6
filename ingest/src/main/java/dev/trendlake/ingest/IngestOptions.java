package dev.trendlake.ingest;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code trendlake ingest}, checked ({@link IngestCommand} parses them): the
 * source's own ({@code --regions} and {@code --maxVideos} for YouTube, {@code --lists}, {@code
 * --pages} and {@code --executionId} for TMDB; another source's are refused) and the shared ones
 * (output, endpoint, key, retries). Every other argument is handed to Beam ({@link #beamArgs}) so
 * that its file system options ({@code --awsRegion}, {@code --endpoint}, {@code
 * --s3ClientFactoryClass}) configure an {@code s3://} output exactly as they do for {@code
 * trendlake run}.
 *
 * <p>Why not a Beam {@code PipelineOptions} interface: Beam keeps one registry of option properties
 * per JVM and requires a property shared by two interfaces ({@code --output} here and in {@code
 * TrendlakeOptions}) to carry the same {@code @Default}. Ingest has no sensible default output, and
 * running ingest then the pipeline in one JVM (the tests, a future combined command) would fail on
 * that clash.
 */
public record IngestOptions(
    Source source,
    List<String> regions,
    List<String> lists,
    int pages,
    String executionId,
    String output,
    int maxVideos,
    String apiBaseUrl,
    String apiKeySecretArn,
    String secretsManagerEndpoint,
    int maxAttempts,
    long initialBackoffMillis,
    long maxBackoffMillis,
    int requestTimeoutSeconds,
    List<String> beamArgs) {

  /** The defaults of the options that have one, whatever the source. */
  static final Map<String, String> DEFAULTS =
      Map.of(
          "maxAttempts", "5",
          "initialBackoffMillis", "1000",
          "maxBackoffMillis", "32000",
          "requestTimeoutSeconds", "30");

  /** The TMDB lists, in the order {@code --lists} defaults to. */
  public static final List<String> TMDB_LISTS = List.of("popular", "trending", "airing_today");

  /** TMDB serves pages 1 to 500 of a list. */
  public static final int TMDB_MAX_PAGES = 500;

  static final int TMDB_DEFAULT_PAGES = 5;

  /** The options only one source takes. */
  private static final List<Map.Entry<String, Source>> OWN =
      List.of(
          Map.entry("regions", Source.YOUTUBE),
          Map.entry("maxVideos", Source.YOUTUBE),
          Map.entry("lists", Source.TMDB),
          Map.entry("pages", Source.TMDB),
          Map.entry("executionId", Source.TMDB));

  /**
   * Checks the options given (by name, as text; absent: the default) and reports every problem at
   * once in an IllegalArgumentException.
   *
   * @param beam every other option, for Beam's file systems
   */
  public static IngestOptions validate(Map<String, String> given, List<String> beam) {
    Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
    given.forEach(
        (k, x) -> {
          if (x != null) {
            v.put(k, x);
          }
        });
    List<String> problems = new ArrayList<>();
    Source source = v.get("source") == null ? Source.YOUTUBE : Source.of(v.get("source"));
    if (source == null) {
      problems.add("--source must be youtube or tmdb, not '" + v.get("source") + "'");
      source = Source.YOUTUBE;
    }
    for (Map.Entry<String, Source> own : OWN) {
      if (v.get(own.getKey()) != null && own.getValue() != source) {
        problems.add(
            "--"
                + own.getKey()
                + " is an option of --source="
                + own.getValue().option()
                + ", not of --source="
                + source.option());
      }
    }
    v.putIfAbsent("apiBaseUrl", source.defaultBaseUrl());
    Set<String> regions = new LinkedHashSet<>();
    if (source == Source.YOUTUBE && v.get("regions") == null) {
      problems.add("--regions is required, e.g. --regions=us,gb,ca");
    } else if (source == Source.YOUTUBE) {
      for (String r : v.get("regions").split(",")) {
        String c = r.strip().toLowerCase(Locale.ROOT);
        if (c.isEmpty()) {
          continue;
        }
        if (!c.matches("[a-z]{2}")) {
          problems.add(
              "--regions: '"
                  + r.strip()
                  + "' is not a two-letter region code (ISO 3166-1 alpha-2, e.g. us)");
        } else {
          regions.add(c);
        }
      }
      if (regions.isEmpty() && problems.isEmpty()) {
        problems.add("--regions names no region: give e.g. --regions=us,gb,ca");
      }
    }
    String output = v.get("output");
    if (output == null || output.isBlank()) {
      problems.add("--output is required: the bronze root, a folder or s3://bucket/prefix");
    }
    List<String> lists = new ArrayList<>();
    int pages = 0;
    String executionId = null;
    if (source == Source.TMDB) {
      for (String l : v.getOrDefault("lists", String.join(",", TMDB_LISTS)).split(",")) {
        String c = l.strip().toLowerCase(Locale.ROOT);
        if (c.isEmpty() || lists.contains(c)) {
          continue;
        }
        if (!TMDB_LISTS.contains(c)) {
          problems.add(
              "--lists: '"
                  + l.strip()
                  + "' is not a TMDB list: give popular, trending, airing_today");
        } else {
          lists.add(c);
        }
      }
      if (lists.isEmpty() && problems.isEmpty()) {
        problems.add("--lists names no list: give e.g. --lists=popular,trending,airing_today");
      }
      v.putIfAbsent("pages", String.valueOf(TMDB_DEFAULT_PAGES));
      pages = integer(v, "pages", 1, problems);
      if (pages > TMDB_MAX_PAGES) {
        problems.add("--pages must be at most " + TMDB_MAX_PAGES + " (TMDB's last page)");
      }
      executionId = v.get("executionId");
      if (executionId != null && !executionId.matches("[A-Za-z0-9._:/@-]{1,200}")) {
        problems.add(
            "--executionId must be 1 to 200 letters, digits or ._:/@- (a scheduler's run id)");
      }
    }
    v.putIfAbsent("maxVideos", "200");
    int maxVideos = integer(v, "maxVideos", 1, problems);
    int maxAttempts = integer(v, "maxAttempts", 1, problems);
    long initial = integer(v, "initialBackoffMillis", 0, problems);
    long max = integer(v, "maxBackoffMillis", 0, problems);
    int timeout = integer(v, "requestTimeoutSeconds", 1, problems);
    String base = v.get("apiBaseUrl");
    try {
      URI u = URI.create(base);
      if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme()))
          || u.getHost() == null
          || u.getQuery() != null) {
        problems.add(
            "--apiBaseUrl must be an http(s) URL without a query, e.g. " + source.defaultBaseUrl());
      }
    } catch (IllegalArgumentException e) {
      problems.add("--apiBaseUrl is not a URL: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n  ", problems));
    }
    return new IngestOptions(
        source,
        List.copyOf(regions),
        List.copyOf(lists),
        pages,
        executionId,
        output.strip(),
        maxVideos,
        base,
        v.get("apiKeySecretArn"),
        v.get("secretsManagerEndpoint"),
        maxAttempts,
        initial,
        max,
        timeout,
        List.copyOf(beam));
  }

  private static int integer(Map<String, String> v, String name, int min, List<String> problems) {
    try {
      int n = Integer.parseInt(v.get(name).strip());
      if (n < min) {
        problems.add("--" + name + " must be at least " + min);
      }
      return n;
    } catch (NumberFormatException e) {
      problems.add("--" + name + " must be a whole number, not '" + v.get(name) + "'");
      return min;
    }
  }
}
