package dev.trendlake.pipeline.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} on any Beam {@link FileSystems} path (local, {@code s3://}, ...), the
 * reading twin of {@link ChannelOutputFile}: no Hadoop file system needed.
 */
public final class ChannelInputFile implements InputFile {
  private final MatchResult.Metadata file;

  public ChannelInputFile(MatchResult.Metadata file) {
    this.file = file;
  }

  @Override
  public long getLength() {
    return file.sizeBytes();
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    SeekableByteChannel ch = (SeekableByteChannel) FileSystems.open(file.resourceId());
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
            throw new java.io.EOFException(
                "end of " + file.resourceId() + " before the bytes Parquet expects");
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
