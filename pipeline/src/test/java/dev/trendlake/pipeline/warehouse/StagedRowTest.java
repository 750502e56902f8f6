package dev.trendlake.pipeline.warehouse;

import static dev.trendlake.transforms.youtube.TrendingColumns.*;
import static org.junit.Assert.assertEquals;

import dev.trendlake.testkit.SyntheticGold;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import org.junit.Test;

/** The fast COPY encoder writes exactly what the generic one writes. */
public class StagedRowTest {
  @Test
  public void tagsAreTheJsonTextJacksonWrites() throws Exception {
    java.util.List<String> tags =
        java.util.List.of("a\"b", "back\\slash", "line\nbreak\r\t", "\b\f\u0001\u001f", "ünï", "");
    assertEquals(
        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(tags),
        StagedRow.tagsJson(tags));
  }

  @Test
  public void fastCopyRowEqualsGenericCopyText() {
    for (Partition p : SyntheticGold.partitions(3000, 100)) {
      for (Row r : p.rows()) {
        long key = ChannelKey.of(r.get(CHANNEL_ID), r.get(CHANNEL_TITLE));
        StringBuilder generic = new StringBuilder();
        StagedRow.appendCopyText(generic, StagedRow.values(p.path(), r, key));
        StringBuilder fast = new StringBuilder();
        StagedRow.appendCopyRow(fast, p.path(), r, key);
        assertEquals(generic.toString(), fast.toString());
      }
    }
    assertEquals(
        "1969-12-31 23:59:59.999999", StagedRow.timestamp(new StringBuilder(), -1).toString());
    assertEquals(
        "2017-11-13 17:13:01.000000",
        StagedRow.timestamp(new StringBuilder(), 1_510_593_181_000_000L).toString());
  }
}
