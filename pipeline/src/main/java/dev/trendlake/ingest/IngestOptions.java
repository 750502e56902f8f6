package dev.trendlake.ingest;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * The options of {@code trendlake ingest}. They extend {@link PipelineOptions} only so that Beam's
 * file system options ({@code --awsRegion}, {@code --endpoint}, {@code --s3ClientFactoryClass})
 * configure an {@code s3://} output exactly as they do for {@code trendlake run}; no pipeline is
 * built.
 */
public interface IngestOptions extends PipelineOptions {

  @Description("Comma-separated two-letter region codes to fetch, e.g. us,gb,ca (any case).")
  @Validation.Required
  String getRegions();

  void setRegions(String value);

  @Description(
      "Bronze root to write: a local folder or s3://bucket/prefix. The files go under raw_api/, raw_statistics/ "
          + "and raw_statistics_reference_data/, the layout 'trendlake run --input' reads.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Most videos to fetch per region, following nextPageToken in pages of at most 50.")
  @Default.Integer(200)
  int getMaxVideos();

  void setMaxVideos(int value);

  @Description("Base URL of the YouTube Data API v3 (tests and proxies point it elsewhere).")
  @Default.String("https://www.googleapis.com/youtube/v3")
  String getApiBaseUrl();

  void setApiBaseUrl(String value);

  @Description(
      "ARN (or name) of an AWS Secrets Manager secret holding the API key, as plain text or as JSON with a "
          + "YOUTUBE_API_KEY field. Without it the key comes from the environment variable YOUTUBE_API_KEY.")
  String getApiKeySecretArn();

  void setApiKeySecretArn(String value);

  @Description("Endpoint override for AWS Secrets Manager (a VPC endpoint or a local test server).")
  String getSecretsManagerEndpoint();

  void setSecretsManagerEndpoint(String value);

  @Description("Attempts per API request, the first included, for HTTP 429, 5xx and network errors.")
  @Default.Integer(5)
  int getMaxAttempts();

  void setMaxAttempts(int value);

  @Description("Backoff before the first retry in milliseconds; it doubles per retry, with jitter.")
  @Default.Long(1000)
  long getInitialBackoffMillis();

  void setInitialBackoffMillis(long value);

  @Description("Longest wait between two attempts in milliseconds, also the cap on a server's Retry-After.")
  @Default.Long(32000)
  long getMaxBackoffMillis();

  void setMaxBackoffMillis(long value);

  @Description("Timeout of one HTTP request (connect and response) in seconds.")
  @Default.Integer(30)
  int getRequestTimeoutSeconds();

  void setRequestTimeoutSeconds(int value);
}
