package dev.trendlake.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} over Beam's file systems, so the report reads a lake on a local disk
 * and on S3 the same way the job writes it (no Hadoop file system configuration).
 */
final class ChannelInputFile implements InputFile {
  private final ResourceId file;
  private final long length;

  ChannelInputFile(ResourceId file, long length) {
    this.file = file;
    this.length = length;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    SeekableByteChannel ch = (SeekableByteChannel) FileSystems.open(file);
    return new DelegatingSeekableInputStream(java.nio.channels.Channels.newInputStream(ch)) {
      @Override
      public long getPos() throws IOException {
        return ch.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        ch.position(newPos);
      }

      @Override
      public int read(ByteBuffer buf) throws IOException {
        return ch.read(buf);
      }

      @Override
      public void readFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
          if (ch.read(buf) < 0) {
            throw new java.io.EOFException("end of " + file + " before the bytes Parquet expects");
          }
        }
      }

      @Override
      public void close() throws IOException {
        ch.close();
      }
    };
  }
}
