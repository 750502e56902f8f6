package dev.trendlake.transforms.youtube;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.trendlake.transforms.model.Reason;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

public class CategoryJsonTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  public void readsItemsWithBomAndCrlf() {
    String doc =
        "\uFEFF{\r\n"
            + " \"kind\": \"youtube#videoCategoryListResponse\",\r\n"
            + " \"items\": [\r\n"
            + "  {\"id\": \"1\", \"snippet\": {\"channelId\": \"UCBR8\", \"title\": \"Film &"
            + " Animation\", \"assignable\": true}},\r\n"
            + "  {\"id\": \"44\", \"snippet\": {\"title\": \"Trailers\", \"assignable\":"
            + " false}}\r\n"
            + " ]\r\n"
            + "}\r\n";
    CategoryJson.Result r = CategoryJson.parse("US_category_id.json", "us", b(doc));
    assertEquals(2, r.records());
    assertEquals(2, r.categories().size());
    assertEquals("Film & Animation", r.categories().get(0).get(CategoryColumns.TITLE));
    assertEquals("UCBR8", r.categories().get(0).get(CategoryColumns.CHANNEL_ID));
    assertEquals(Boolean.FALSE, r.categories().get(1).get(CategoryColumns.ASSIGNABLE));
    assertNull(r.categories().get(1).get(CategoryColumns.CHANNEL_ID));
    assertEquals(Long.valueOf(44), r.categories().get(1).get(CategoryColumns.CATEGORY_ID));
  }

  @Test
  public void badItemsAreRejectedWithTheirLineAndBytes() {
    String doc =
        "{\"items\": [\n"
            + "{\"id\": \"1\", \"snippet\": {\"title\": \"A\"}},\n"
            + "{\"id\": \"x1\", \"snippet\": {\"title\": \"B\"}},\n"
            + "{\"id\": \"3\", \"snippet\": {}}\n"
            + "]}";
    CategoryJson.Result r = CategoryJson.parse("f.json", "us", b(doc));
    assertEquals(3, r.records());
    assertEquals(1, r.categories().size());
    assertEquals(2, r.rejected().size());
    assertEquals(Reason.INVALID_CATEGORY, r.rejected().get(0).reason());
    assertEquals(3, r.rejected().get(0).line());
    assertEquals(
        "{\"id\": \"x1\", \"snippet\": {\"title\": \"B\"}}", r.rejected().get(0).rawText());
    assertEquals("item 3 has no snippet.title", r.rejected().get(1).detail());
  }

  @Test
  public void malformedFileIsOneRejectedRecord() {
    CategoryJson.Result r = CategoryJson.parse("f.json", "in", b("{\"items\": [ {\"id\": \"1\""));
    assertEquals(1, r.records());
    assertEquals(Reason.MALFORMED_JSON, r.rejected().get(0).reason());
    assertEquals(0, r.categories().size());
    CategoryJson.Result notList = CategoryJson.parse("f.json", "in", b("{\"kind\": \"x\"}"));
    assertEquals(
        "no \"items\" array: not a videoCategories.list response",
        notList.rejected().get(0).detail());
  }

  @Test
  public void noRegionRejectsEveryItem() {
    CategoryJson.Result r =
        CategoryJson.parse(
            "cats.json",
            null,
            b("{\"items\": [{\"id\": \"1\", \"snippet\": {\"title\": \"A\"}}]}"));
    assertEquals(1, r.rejected().size());
    assertEquals("unknown", r.rejected().get(0).region());
  }
}
