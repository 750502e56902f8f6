package dev.trendlake.pipeline.s3;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * What trendlake adds to Beam's S3 options. Beam's own {@code --awsRegion}, {@code --endpoint},
 * {@code --awsCredentialsProvider}, {@code --s3UploadBufferSizeBytes}, ... keep their meaning; the
 * launcher turns these two into a client factory at launch, so users never name a class.
 */
public interface S3StoreOptions extends S3Options {

  @Description(
      "Address buckets as <endpoint>/<bucket>/<key> (path style) instead of"
          + " <bucket>.<endpoint>/<key>. Most S3-compatible stores (MinIO, Ceph, LocalStack,"
          + " s3mock) need --s3PathStyleAccess=true; AWS S3 itself does not.")
  @Default.Boolean(false)
  boolean getS3PathStyleAccess();

  void setS3PathStyleAccess(boolean value);

  @Description(
      "How many times one S3 request is retried after a throttling answer (503 SlowDown), a server"
          + " error (5xx) or a broken connection, with exponential backoff (up to 20 s between"
          + " tries). Default 10, which rides out about a minute of trouble.")
  @Default.Integer(10)
  int getS3MaxRetries();

  void setS3MaxRetries(int value);
}
