package dev.trendlake.pipeline.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} on any Beam {@link FileSystems} path (local, {@code s3://}, ...), so
 * the Parquet writer needs no Hadoop file system and the same code writes everywhere.
 */
final class ChannelOutputFile implements OutputFile {
  private final ResourceId target;

  ChannelOutputFile(ResourceId target) {
    this.target = target;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return createOrOverwrite(blockSizeHint);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    OutputStream out =
        new BufferedOutputStream(
            Channels.newOutputStream(FileSystems.create(target, "application/octet-stream")),
            1 << 16);
    return new PositionOutputStream() {
      private long pos;

      @Override
      public long getPos() {
        return pos;
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        pos++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        pos += len;
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      private boolean closed;

      /** Once only: a second close of an S3 channel would try to finish its upload again. */
      @Override
      public void close() throws IOException {
        if (!closed) {
          closed = true;
          out.close();
        }
      }
    };
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return target.toString();
  }
}
