package dev.trendlake.pipeline.aws;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;

/**
 * Where a client of one AWS service (other than S3, whose endpoint is Beam's {@code --endpoint})
 * sends its calls when the environment says so, in the names newer AWS SDKs read themselves: the
 * system property {@code aws.endpointUrl<Service>} or the environment variable {@code
 * AWS_ENDPOINT_URL_<SERVICE>}, else the global {@code aws.endpointUrl} / {@code AWS_ENDPOINT_URL}.
 * The SDK this build uses (2.20, Beam's) predates that setting, so trendlake applies it to its
 * CloudWatch and Secrets Manager clients: a LocalStack, a VPC endpoint name, or a test's recording
 * server. Unset, the SDK's regional endpoint stands.
 */
public final class AwsEndpoints {
  private AwsEndpoints() {}

  public static final String CLOUDWATCH = "CloudWatch";
  public static final String SECRETS_MANAGER = "Secrets Manager";

  /** {@code builder} with the configured endpoint of {@code serviceId}, if any. */
  public static <B extends SdkClientBuilder<B, ?>> B apply(B builder, String serviceId) {
    String url = configured(serviceId, System.getProperties(), System.getenv());
    return url == null ? builder : builder.endpointOverride(URI.create(url));
  }

  /** The configured endpoint of {@code serviceId} (an SDK service id such as "Secrets Manager"). */
  static String configured(String serviceId, Properties props, Map<String, String> env) {
    String compact = serviceId.replace(" ", "");
    String upper = serviceId.toUpperCase(Locale.ROOT).replace(' ', '_');
    for (String v :
        new String[] {
          props.getProperty("aws.endpointUrl" + compact),
          env.get("AWS_ENDPOINT_URL_" + upper),
          props.getProperty("aws.endpointUrl"),
          env.get("AWS_ENDPOINT_URL")
        }) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }
}
