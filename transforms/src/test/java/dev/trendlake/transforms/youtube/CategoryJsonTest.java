package dev.trendlake.transforms.youtube;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.trendlake.transforms.model.Reason;
import java.nio.charset.Charset;
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

  private static final String DOC =
      "{\"items\": [{\"id\": \"1\", \"snippet\": {\"title\": \"Film\"}}]}";

  private static byte[] withBom(byte[] bom, byte[] body) {
    byte[] out = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, out, 0, bom.length);
    System.arraycopy(body, 0, out, bom.length, body.length);
    return out;
  }

  @Test
  public void utf16FilesAreQuarantinedAsAnEncodingProblem() {
    byte[][] files = {
      withBom(new byte[] {(byte) 0xFF, (byte) 0xFE}, DOC.getBytes(StandardCharsets.UTF_16LE)),
      withBom(new byte[] {(byte) 0xFE, (byte) 0xFF}, DOC.getBytes(StandardCharsets.UTF_16BE)),
      DOC.getBytes(StandardCharsets.UTF_16LE),
      withBom(
          new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, DOC.getBytes(Charset.forName("UTF-32LE"))),
    };
    String[] says = {"UTF-16 LE", "UTF-16 BE", "UTF-16 or UTF-32", "UTF-32 LE"};
    for (int i = 0; i < files.length; i++) {
      CategoryJson.Result r = CategoryJson.parse("DE_category_id.json", "de", files[i]);
      assertEquals(1, r.records());
      assertEquals(0, r.categories().size());
      assertEquals(Reason.INVALID_ENCODING, r.rejected().get(0).reason());
      assertTrue(r.rejected().get(0).detail(), r.rejected().get(0).detail().contains(says[i]));
      assertTrue(r.rejected().get(0).detail().contains("re-save it as UTF-8"));
      assertEquals(files[i].length, r.rejected().get(0).raw().length);
    }
  }

  @Test
  public void invalidUtf8IsAnEncodingProblemWithItsLine() {
    byte[] doc = b("{\"items\": [\n{\"id\": \"1\", \"snippet\": {\"title\": \"caf\u00e9\"}}]}");
    byte[] latin1 = new String(doc, StandardCharsets.UTF_8).getBytes(StandardCharsets.ISO_8859_1);
    CategoryJson.Result r = CategoryJson.parse("FR_category_id.json", "fr", latin1);
    assertEquals(1, r.records());
    assertEquals(Reason.INVALID_ENCODING, r.rejected().get(0).reason());
    assertEquals(
        "not UTF-8: the byte E9 at line 2, byte 50 is no UTF-8 character (Windows-1252 or"
            + " Latin-1?); category JSON must be UTF-8: re-save it as UTF-8",
        r.rejected().get(0).detail());
  }
}
