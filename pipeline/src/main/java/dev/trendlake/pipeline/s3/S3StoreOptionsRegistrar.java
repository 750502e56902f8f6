package dev.trendlake.pipeline.s3;

import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Makes Beam know trendlake's S3 options (and Beam's own S3 options they extend) wherever the
 * pipeline module is on the class path, so {@code --s3ClientFactoryClass} and friends are
 * recognised when options are checked, on the launcher and on every worker.
 */
public final class S3StoreOptionsRegistrar implements PipelineOptionsRegistrar {
  @Override
  public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
    return List.of(S3StoreOptions.class);
  }
}
