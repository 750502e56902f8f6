package dev.trendlake.transforms.coders;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.Test;

/** Rows of every value type, null and empty, short and long, round-trip through RowCoder. */
public class RowCoderTest {
  private static final RowSchema.Builder B = RowSchema.builder("all_types");
  private static final Col<String> TEXT = B.string("text", true, Col.Role.DATA);
  private static final Col<String> ID = B.string("id", false, Col.Role.DATA);
  private static final Col<Long> COUNT = B.int64("count", true, Col.Role.DATA);
  private static final Col<Double> SCORE = B.float64("score", true, Col.Role.DATA);
  private static final Col<Boolean> FLAG = B.bool("flag", true, Col.Role.DATA);
  private static final Col<Long> AT = B.timestampMicros("at", false, Col.Role.DATA);
  private static final Col<Integer> DAY = B.date("day", false, Col.Role.PARTITION);
  private static final Col<List<String>> TAGS = B.stringList("tags", Col.Role.DATA);
  private static final Col<List<Long>> IDS = B.int64List("ids", Col.Role.DATA);
  private static final RowSchema SCHEMA = B.build();

  static List<Row> rows() {
    Random r = new Random(1);
    String[] texts = {"", "a", "Ünïcödé ✓ 日本語 😀", "x".repeat(70_000)};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      boolean nulls = i % 4 == 1;
      rows.add(
          SCHEMA
              .row()
              .set(TEXT, nulls ? null : texts[i % texts.length])
              .set(ID, "id" + i)
              .set(COUNT, nulls ? null : (i % 3 == 0 ? Long.MIN_VALUE : r.nextLong()))
              .set(SCORE, nulls ? null : (i % 5 == 0 ? Double.NaN : r.nextDouble() * -1e300))
              .set(FLAG, nulls ? null : i % 2 == 0)
              .set(AT, i % 7 == 0 ? Long.MAX_VALUE : -r.nextInt())
              .set(DAY, i % 6 == 0 ? Integer.MIN_VALUE : r.nextInt())
              .set(TAGS, i % 3 == 0 ? List.of() : List.of(texts[i % texts.length], "t" + i))
              .set(IDS, i % 3 == 1 ? List.of() : List.of((long) i, -1L, Long.MAX_VALUE))
              .build(i % 9 == 0 ? Integer.MAX_VALUE : i));
    }
    return rows;
  }

  @Test
  public void everyRowRoundTrips() throws Exception {
    RowCoder coder = RowCoder.of(SCHEMA);
    for (Row row : rows()) {
      CoderProperties.coderDecodeEncodeEqual(coder, row);
      CoderProperties.coderDeterministic(coder, row, row);
    }
    CoderProperties.coderDecodeEncodeEqual(ListCoder.of(coder), rows());
    CoderProperties.coderSerializable(coder);
  }

  @Test
  public void rowsFollowEachOtherInOneStream() throws Exception {
    RowCoder coder = RowCoder.of(SCHEMA);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Row row : rows()) {
      coder.encode(row, out);
    }
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    for (Row row : rows()) {
      assertEquals(row, coder.decode(in));
    }
    assertEquals(-1, in.read());
  }

  @Test
  public void aRequiredNullOrATruncatedRowIsAnError() throws Exception {
    RowCoder coder = RowCoder.of(SCHEMA);
    Row noId =
        SCHEMA.row().set(AT, 1L).set(DAY, 1).set(TAGS, List.of()).set(IDS, List.of()).build(0);
    assertThrows(CoderException.class, () -> coder.encode(noId, new ByteArrayOutputStream()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    coder.encode(rows().get(2), out);
    byte[] b = out.toByteArray();
    assertThrows(
        java.io.EOFException.class,
        () -> coder.decode(new ByteArrayInputStream(b, 0, b.length - 1)));
  }
}
