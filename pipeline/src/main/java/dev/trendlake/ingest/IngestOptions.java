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
 * The options of {@code trendlake ingest}, parsed from {@code --name=value} arguments. Every other
 * argument is handed to Beam ({@link #beamArgs}) so that its file system options ({@code
 * --awsRegion}, {@code --endpoint}, {@code --s3ClientFactoryClass}) configure an {@code s3://}
 * output exactly as they do for {@code trendlake run}.
 *
 * <p>Why not a Beam {@code PipelineOptions} interface: Beam keeps one registry of option properties
 * per JVM and requires a property shared by two interfaces ({@code --output} here and in {@code
 * TrendlakeOptions}) to carry the same {@code @Default}. Ingest has no sensible default output, and
 * running ingest then the pipeline in one JVM (the tests, a future combined command) would fail on
 * that clash.
 */
public record IngestOptions(
    List<String> regions,
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

  /** Name, default (null = none) and description of each option, in help order. */
  static final List<String[]> OPTIONS =
      List.of(
          new String[] {
            "regions",
            null,
            "Comma-separated two-letter region codes to fetch, e.g. us,gb,ca (any case). Required."
          },
          new String[] {
            "output", null, "Bronze root to write: a local folder or s3://bucket/prefix. Required."
          },
          new String[] {
            "maxVideos",
            "200",
            "Most videos to fetch per region, following nextPageToken in pages of at most 50."
          },
          new String[] {
            "apiBaseUrl",
            "https://www.googleapis.com/youtube/v3",
            "Base URL of the YouTube Data API v3."
          },
          new String[] {
            "apiKeySecretArn",
            null,
            "AWS Secrets Manager secret (ARN or name) holding the API key, as plain text or JSON"
                + " {\"YOUTUBE_API_KEY\": \"...\"}. Without it the key comes from the environment"
                + " variable YOUTUBE_API_KEY."
          },
          new String[] {
            "secretsManagerEndpoint",
            null,
            "Endpoint override for Secrets Manager (a VPC endpoint, a test server)."
          },
          new String[] {
            "maxAttempts",
            "5",
            "Attempts per API request, the first included, on HTTP 429, 5xx and network errors."
          },
          new String[] {
            "initialBackoffMillis",
            "1000",
            "Wait before the first retry; doubles per retry, with jitter."
          },
          new String[] {
            "maxBackoffMillis",
            "32000",
            "Longest wait between attempts, also the cap on a server's Retry-After."
          },
          new String[] {
            "requestTimeoutSeconds",
            "30",
            "Timeout of one HTTP request (connect, and the whole answer)."
          });

  /**
   * Parses and checks {@code args}, reporting every problem at once in an IllegalArgumentException.
   */
  public static IngestOptions parse(String[] args) {
    Map<String, String> known = new LinkedHashMap<>();
    for (String[] o : OPTIONS) {
      known.put(o[0].toLowerCase(Locale.ROOT), o[0]);
    }
    Map<String, String> v = new LinkedHashMap<>();
    List<String> beam = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      String name = a.startsWith("--") ? a.substring(2, eq < 0 ? a.length() : eq) : null;
      String canonical = name == null ? null : known.get(name.toLowerCase(Locale.ROOT));
      if (canonical == null) {
        beam.add(a);
      } else if (eq < 0) {
        problems.add("--" + canonical + " needs a value: --" + canonical + "=...");
      } else if (v.put(canonical, a.substring(eq + 1)) != null) {
        problems.add("--" + canonical + " is given twice");
      }
    }
    for (String[] o : OPTIONS) {
      if (o[1] != null) {
        v.putIfAbsent(o[0], o[1]);
      }
    }
    Set<String> regions = new LinkedHashSet<>();
    if (v.get("regions") == null) {
      problems.add("--regions is required, e.g. --regions=us,gb,ca");
    } else {
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
            "--apiBaseUrl must be an http(s) URL without a query, e.g."
                + " https://www.googleapis.com/youtube/v3");
      }
    } catch (IllegalArgumentException e) {
      problems.add("--apiBaseUrl is not a URL: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n  ", problems));
    }
    return new IngestOptions(
        List.copyOf(regions),
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
