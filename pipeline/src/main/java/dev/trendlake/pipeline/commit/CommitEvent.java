package dev.trendlake.pipeline.commit;

import dev.trendlake.transforms.coders.RejectedCoder;
import dev.trendlake.transforms.coders.RowCoder;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.model.Versioned;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * One thing the continuous commit ({@link StreamingCommit}) collects until it can commit it: new
 * rows of a partition whose wait is over, a rejected record, the tally of a statistics file read
 * (records, quarantine by reason, its size and change token), a category snapshot, or a processed
 * statistics file gone from bronze whose rows are to be retracted ({@code --reprocess=changed}).
 * Exactly one of the payloads is set, by {@link #kind}.
 *
 * <p>Rows and rejects carry the change {@code token} of the file version they were read from (the
 * tally has its own): after a restore, rows of a version replayed from a checkpoint can meet the
 * rows of a newer version of the same file, with the same lineage, and only the token keeps them
 * apart.
 */
public record CommitEvent(
    Kind kind,
    String partition,
    String token,
    List<Row> rows,
    Rejected rejected,
    RunTally tally,
    CategorySnapshot snapshot,
    String retracted) {

  /** What the event carries. */
  public enum Kind {
    ROWS,
    REJECTED,
    FILE_READ,
    CATEGORIES,
    RETRACTED
  }

  public CommitEvent {
    if ((kind == Kind.ROWS || kind == Kind.REJECTED) && token == null) {
      throw new IllegalArgumentException(kind + " events need their file's change token");
    }
  }

  /** Rows of one partition, all read from the file version {@code token} names. */
  public static CommitEvent rows(String partition, String token, List<Row> rows) {
    return new CommitEvent(Kind.ROWS, partition, token, List.copyOf(rows), null, null, null, null);
  }

  public static CommitEvent rows(String partition, Versioned<List<Row>> rows) {
    return rows(partition, rows.token(), rows.value());
  }

  public static CommitEvent rejected(String token, Rejected r) {
    return new CommitEvent(Kind.REJECTED, null, token, null, r, null, null, null);
  }

  public static CommitEvent rejected(Versioned<Rejected> r) {
    return rejected(r.token(), r.value());
  }

  public static CommitEvent fileRead(RunTally t) {
    return new CommitEvent(Kind.FILE_READ, null, null, null, null, t, null, null);
  }

  public static CommitEvent categories(CategorySnapshot s) {
    return new CommitEvent(Kind.CATEGORIES, null, null, null, null, null, s, null);
  }

  /** A processed statistics file (path relative to the bronze root) gone from bronze. */
  public static CommitEvent retracted(String path) {
    return new CommitEvent(Kind.RETRACTED, null, null, null, null, null, null, path);
  }

  /** Encodes the one payload an event has, after its kind. */
  public static final class Coder extends CustomCoder<CommitEvent> {
    private static final Coder INSTANCE = new Coder();
    private static final ListCoder<Row> ROWS = ListCoder.of(RowCoder.of(TrendingColumns.SCHEMA));

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(CommitEvent e, OutputStream out) throws IOException {
      out.write(e.kind().ordinal());
      switch (e.kind()) {
        case ROWS -> {
          StringUtf8Coder.of().encode(e.partition(), out);
          StringUtf8Coder.of().encode(e.token(), out);
          ROWS.encode(e.rows(), out);
        }
        case REJECTED -> {
          StringUtf8Coder.of().encode(e.token(), out);
          RejectedCoder.of().encode(e.rejected(), out);
        }
        case FILE_READ -> RunTallyCoder.of().encode(e.tally(), out);
        case CATEGORIES -> CategorySnapshot.Coder.of().encode(e.snapshot(), out);
        case RETRACTED -> StringUtf8Coder.of().encode(e.retracted(), out);
        default -> throw new IOException("unknown event kind " + e.kind());
      }
    }

    @Override
    public CommitEvent decode(InputStream in) throws IOException {
      int k = in.read();
      if (k < 0 || k >= Kind.values().length) {
        throw new IOException("unknown event kind " + k);
      }
      return switch (Kind.values()[k]) {
        case ROWS ->
            rows(StringUtf8Coder.of().decode(in), StringUtf8Coder.of().decode(in), ROWS.decode(in));
        case REJECTED -> rejected(StringUtf8Coder.of().decode(in), RejectedCoder.of().decode(in));
        case FILE_READ -> fileRead(RunTallyCoder.of().decode(in));
        case CATEGORIES -> categories(CategorySnapshot.Coder.of().decode(in));
        case RETRACTED -> retracted(StringUtf8Coder.of().decode(in));
      };
    }
  }
}
