package dev.trendlake.pipeline;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where a run reports its data-quality metrics. Unset (the default) means nothing is published, so
 * local and test runs never need AWS credentials; the AWS deployment (terraform/) sets it, and its
 * CloudWatch alarm on {@code QuarantineRatio} reads the same namespace.
 */
public interface MetricsOptions extends PipelineOptions {

  @Description(
      "CloudWatch namespace to publish QuarantineRatio and record counts per region to after a"
          + " successful commit (e.g. Trendlake). Unset: publish nothing. The region and"
          + " credentials come from the AWS default chains (AWS_REGION, instance or task role).")
  String getCloudWatchNamespace();

  void setCloudWatchNamespace(String value);
}
