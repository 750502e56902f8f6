package dev.trendlake.runners.run;

import dev.trendlake.pipeline.config.BeamErrors;
import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.pipeline.config.RunConfigValidator;
import dev.trendlake.pipeline.config.RunOption;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.pipeline.s3.TrendlakeS3ClientFactory;
import dev.trendlake.runners.RunnerDefaults;
import dev.trendlake.runners.s3.S3Region;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Beam's options for a run, made at launch from its {@link RunConfig}: the runner and the options
 * Beam reads, the runner's defaults ({@link RunnerDefaults}), trendlake's S3 client factory (how
 * {@code --s3PathStyleAccess} and {@code --s3MaxRetries} take effect) and an upload buffer of 8 MiB
 * instead of Beam's 64 MiB (allocated on the heap for every open S3 writer; a 100 MB file still
 * takes only 13 parts), and the AWS region settled once ({@link S3Region}). Beam's own complaints
 * (an unknown option, a bad value) come back as {@link RunConfigValidator.InvalidOptions} naming
 * the option.
 */
public final class BeamOptions {
  private BeamOptions() {}

  public static PipelineOptions create(RunConfig config) {
    List<String> args =
        new ArrayList<>(RunnerDefaults.apply(config.beamArguments(), config.continuous()));
    if (config.continuous()) {
      args = new ArrayList<>(RunnerDefaults.forContinuous(args));
    }
    if (!isSet(args, "s3ClientFactoryClass")) {
      args.add("--s3ClientFactoryClass=" + TrendlakeS3ClientFactory.class.getName());
    }
    if (!isSet(args, RunOption.S3_UPLOAD_BUFFER_SIZE_BYTES.optionName())) {
      args.add(
          RunOption.S3_UPLOAD_BUFFER_SIZE_BYTES.flag()
              + "="
              + RunOption.S3_UPLOAD_BUFFER_SIZE_BYTES.defaultValue());
    }
    String[] a = args.toArray(new String[0]);
    S3StoreOptions o;
    try {
      o = PipelineOptionsFactory.fromArgs(a).withValidation().as(S3StoreOptions.class);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new RunConfigValidator.InvalidOptions(List.of(BeamErrors.reword(e)));
    }
    if (!TrendlakeS3ClientFactory.class.isAssignableFrom(o.getS3ClientFactoryClass())
        && (config.given(RunOption.S3_PATH_STYLE_ACCESS) != null
            || config.given(RunOption.S3_MAX_RETRIES) != null)) {
      throw new RunConfigValidator.InvalidOptions(
          List.of(
              "--s3PathStyleAccess and --s3MaxRetries work through trendlake's S3 client"
                  + " factory, but --s3ClientFactoryClass="
                  + o.getS3ClientFactoryClass().getName()
                  + " replaces it: drop one of them"));
    }
    o.as(org.apache.beam.sdk.options.ApplicationNameOptions.class).setAppName("trendlake");
    S3Region.settle(
        o,
        a,
        config.usesS3(),
        config.cloudWatchNamespace() != null || config.warehouse().secretArn() != null);
    return o;
  }

  private static boolean isSet(List<String> args, String name) {
    for (String a : args) {
      if (a.equals("--" + name) || a.startsWith("--" + name + "=")) {
        return true;
      }
    }
    return false;
  }
}
