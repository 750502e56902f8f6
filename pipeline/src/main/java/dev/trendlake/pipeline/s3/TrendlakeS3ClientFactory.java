package dev.trendlake.pipeline.s3;

import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 client every trendlake worker uses ({@code --s3ClientFactoryClass}, set by {@link
 * S3Launch}). It starts from Beam's own builder (region, endpoint, credentials provider, proxy and
 * HTTP settings exactly as Beam documents them) and adds two things Beam 2.62 has no flag for:
 *
 * <ul>
 *   <li>path-style addressing when {@code --s3PathStyleAccess=true};
 *   <li>a retry policy sized for a batch job: the SDK's standard mode (exponential backoff with
 *       jitter, a longer base delay for 503 SlowDown) with {@code --s3MaxRetries} tries and without
 *       the client-wide retry quota, which would otherwise turn a few minutes of throttling into a
 *       failed run.
 * </ul>
 *
 * <p>Beam builds the client on each worker from the serialized pipeline options, so the flags reach
 * every worker of every runner without any code in the graph.
 */
public class TrendlakeS3ClientFactory implements S3ClientBuilderFactory {

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3StoreOptions store = options.as(S3StoreOptions.class);
    return builder(options, store.getS3PathStyleAccess(), store.getS3MaxRetries());
  }

  /** A builder with Beam's settings from {@code options}, path style and {@code maxRetries}. */
  public static S3ClientBuilder builder(S3Options options, boolean pathStyle, int maxRetries) {
    S3ClientBuilder b =
        ClientBuilderFactory.getFactory(options).create(S3Client.builder(), options);
    b.forcePathStyle(pathStyle);
    RetryPolicy retry =
        RetryPolicy.builder(RetryMode.STANDARD)
            .numRetries(Math.max(0, maxRetries))
            .retryCapacityCondition(null)
            .build();
    b.overrideConfiguration(ClientOverrideConfiguration.builder().retryPolicy(retry).build());
    return b;
  }
}
