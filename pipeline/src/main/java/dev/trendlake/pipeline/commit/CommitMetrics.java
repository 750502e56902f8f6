package dev.trendlake.pipeline.commit;

import dev.trendlake.pipeline.aws.AwsEndpoints;
import dev.trendlake.transforms.tally.RunTally;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * The CloudWatch metrics of each commit of a continuous job ({@code --continuous} with {@code
 * --cloudWatchNamespace}), published by {@link WaveCommit} once the commit and its warehouse load
 * are done: the {@link QuarantineMetrics} counts of the statistics files the commit took in (per
 * region and {@code Region=ALL}, as a batch run publishes them for its files), {@code Commits} (1)
 * and {@code FilesCommitted} (the bronze statistics files of the commit), both without dimensions.
 *
 * <p>The terraform alarm {@code no-commit} compares {@code Commits} in this namespace with the
 * bronze bucket's S3 requests (TerraformTest checks the name), so a change to a name here must be
 * made there too.
 *
 * <p>The lake is committed by the time the metrics go out, so a publish that fails (no region,
 * CloudWatch refusing or out of reach) does not fail the commit: it is logged as a warning and
 * counted ({@link #PUBLISH_FAILED}), and the next commit publishes again.
 */
public final class CommitMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommitMetrics.class);

  public static final String COMMITS = "Commits";
  public static final String FILES_COMMITTED = "FilesCommitted";

  /** Counter (namespace {@link StreamingCommit}) of commits whose metrics reached CloudWatch. */
  public static final String PUBLISHED = "metrics_published";

  /**
   * Counter (namespace {@link StreamingCommit}) of commits whose metrics could not be published.
   */
  public static final String PUBLISH_FAILED = "metrics_publish_failed";

  /** A call that hangs must not hold the committer for long: the next commit waits for it. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final String namespace;
  private CloudWatchClient client;

  /**
   * @param namespace where to publish; null publishes nothing
   */
  public CommitMetrics(String namespace) {
    this.namespace = namespace;
  }

  /**
   * The datums of one commit: the quality counts of {@code read} (the files the commit took in),
   * then {@code Commits} and {@code FilesCommitted}.
   */
  public static List<MetricDatum> datums(RunTally read, int files, Instant at) {
    List<MetricDatum> out = new ArrayList<>(QuarantineMetrics.datums(read, at));
    out.add(count(COMMITS, 1, at));
    out.add(count(FILES_COMMITTED, files, at));
    return out;
  }

  private static MetricDatum count(String name, double value, Instant at) {
    return MetricDatum.builder()
        .metricName(name)
        .value(value)
        .unit(StandardUnit.COUNT)
        .timestamp(at)
        .build();
  }

  /**
   * Publishes the metrics of commit {@code commitId}; never throws for a CloudWatch failure, which
   * is logged and counted.
   */
  public void publish(String commitId, RunTally read, int files) {
    if (namespace == null) {
      return;
    }
    try {
      if (client == null) {
        client =
            AwsEndpoints.apply(
                    CloudWatchClient.builder()
                        .httpClientBuilder(ApacheHttpClient.builder())
                        .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT)),
                    AwsEndpoints.CLOUDWATCH)
                .build();
      }
      QuarantineMetrics.publish(client, namespace, datums(read, files, Instant.now()));
      Metrics.counter(StreamingCommit.class, PUBLISHED).inc();
    } catch (SdkException e) {
      Metrics.counter(StreamingCommit.class, PUBLISH_FAILED).inc();
      LOG.warn(
          "Commit {} is in the lake, but its metrics could not be published to CloudWatch"
              + " namespace {} ({}: {}); the next commit publishes its own",
          commitId,
          namespace,
          e.getClass().getSimpleName(),
          e.getMessage());
    }
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
