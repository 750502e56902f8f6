package dev.trendlake.pipeline.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Comparator;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Makes a Parquet file's bytes a function of its rows alone. parquet-mr collects each column
 * chunk's encodings in a {@code HashSet} of enum constants, whose order follows their identity hash
 * codes, which change with every JVM; so a re-run over the same input wrote the same data with a
 * footer in another order, and every file looked changed to anything that compares bytes or ETags.
 *
 * <p>The file's tail (what the writer writes once its last row group is done: column and offset
 * indexes, then the footer, its length and the magic) is held in memory ({@link
 * Stream#holdTail()}), and on close the footer is rewritten with each chunk's encodings and
 * encoding statistics in their enum order. Nothing else changes: the footer lists the same set, so
 * it keeps its length, and every offset in it points before it.
 */
final class DeterministicFooter {
  private DeterministicFooter() {}

  private static final int MAGIC_AND_LENGTH = 8;

  /** {@code tail} with its footer's encoding lists sorted. */
  static byte[] canonical(byte[] tail) throws IOException {
    int length =
        ByteBuffer.wrap(tail, tail.length - MAGIC_AND_LENGTH, 4)
            .order(ByteOrder.LITTLE_ENDIAN)
            .getInt();
    int start = tail.length - MAGIC_AND_LENGTH - length;
    FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(tail, start, length));
    for (RowGroup g : meta.getRow_groups()) {
      for (ColumnChunk c : g.getColumns()) {
        ColumnMetaData m = c.getMeta_data();
        m.getEncodings().sort(Comparator.comparingInt(e -> e.getValue()));
        if (m.isSetEncoding_stats()) {
          m.getEncoding_stats()
              .sort(
                  Comparator.comparingInt((PageEncodingStats s) -> s.getPage_type().getValue())
                      .thenComparingInt(s -> s.getEncoding().getValue()));
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(tail.length);
    out.write(tail, 0, start);
    Util.writeFileMetaData(meta, out);
    int written = out.size() - start;
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(written).array(), 0, 4);
    out.write(tail, tail.length - 4, 4);
    return out.toByteArray();
  }

  /** An {@link OutputFile} whose streams can hold back and canonicalise their tail. */
  static final class File implements OutputFile {
    private final OutputFile target;
    private Stream stream;

    File(OutputFile target) {
      this.target = target;
    }

    /** The stream the writer opened. */
    Stream stream() {
      return stream;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
      return opened(target.create(blockSizeHint));
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
      return opened(target.createOrOverwrite(blockSizeHint));
    }

    private Stream opened(PositionOutputStream out) {
      stream = new Stream(out);
      return stream;
    }

    @Override
    public boolean supportsBlockSize() {
      return target.supportsBlockSize();
    }

    @Override
    public long defaultBlockSize() {
      return target.defaultBlockSize();
    }

    @Override
    public String getPath() {
      return target.getPath();
    }
  }

  /** Passes bytes through until {@link #holdTail()}; then keeps them until close. */
  static final class Stream extends PositionOutputStream {
    /** Null until {@link #holdTail()}. */
    private ByteArrayOutputStream tail;

    private final PositionOutputStream out;

    Stream(PositionOutputStream out) {
      this.out = out;
    }

    /** Everything written from now on is the file's tail. */
    void holdTail() {
      tail = new ByteArrayOutputStream();
    }

    @Override
    public long getPos() throws IOException {
      return out.getPos() + (tail == null ? 0 : tail.size());
    }

    private OutputStream sink() {
      return tail != null ? tail : out;
    }

    @Override
    public void write(int b) throws IOException {
      sink().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      sink().write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      if (tail == null) {
        out.flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (tail != null) {
        out.write(canonical(tail.toByteArray()));
        tail = null;
      }
      out.close();
    }
  }
}
