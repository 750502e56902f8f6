package dev.trendlake.transforms.tmdb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.trendlake.transforms.model.Reason;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * The TMDB list reader and its rules on whole files shaped as TMDB sends them: a bare list
 * response, the ingest's wrapper, and the ways a file or a show can be unusable.
 */
public class ShowFilesTest {
  private static final String TRENDING = "raw_tmdb/shows/data_type=trending/dt=2025-05-26/p.json";

  /** A show as TMDB's trending list sends it, with one field replaced by {@code change}. */
  private static String show(String change) {
    String[] fields = {
      "\"backdrop_path\": \"/gKSbTwTvdfJYAJyTNOxlpNoiktH.jpg\"",
      "\"id\": 100088",
      "\"name\": \"The Last of Us\"",
      "\"original_name\": \"The Last of Us\"",
      "\"overview\": \"\"",
      "\"poster_path\": \"/dmo6TYuuJgaYinXBPjrgG9mB5od.jpg\"",
      "\"media_type\": \"tv\"",
      "\"original_language\": \"en\"",
      "\"genre_ids\": [18]",
      "\"popularity\": 349.7323",
      "\"first_air_date\": \"2023-01-15\"",
      "\"vote_average\": 8.566",
      "\"vote_count\": 5974",
      "\"origin_country\": [\"US\"]"
    };
    if (change != null) {
      String key = change.substring(0, change.indexOf(':') + 1);
      fields =
          Arrays.stream(fields)
              .map(f -> f.startsWith(key) ? change : f)
              .filter(f -> !f.endsWith(": DROP"))
              .toArray(String[]::new);
    }
    return "    {\n      " + String.join(",\n      ", fields) + "\n    }";
  }

  private static byte[] page(String... shows) {
    return ("{\n  \"page\": 1,\n  \"results\": [\n"
            + String.join(",\n", shows)
            + "\n  ],\n  \"total_pages\": 500\n}\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Reason reasonOf(String change) {
    ShowFiles.Result r = ShowFiles.read(TRENDING, page(show(change)));
    assertEquals(change, List.of(), r.rows());
    assertEquals(change, 1, r.rejected().size());
    return r.rejected().get(0).reason();
  }

  @Test
  public void aRealShowBecomesARowOfItsListAndDay() {
    ShowFiles.Result r = ShowFiles.read(TRENDING, page(show(null)));
    assertEquals("tmdb_list", r.layout());
    assertEquals(1, r.records());
    Row row = r.rows().get(0);
    int day = (int) LocalDate.parse("2025-05-26").toEpochDay();
    assertEquals("trending", row.get(ShowColumns.DATA_TYPE));
    assertEquals(Integer.valueOf(day), row.get(ShowColumns.DT));
    assertEquals(Long.valueOf(100088), row.get(ShowColumns.SHOW_ID));
    assertEquals("The Last of Us", row.get(ShowColumns.TITLE));
    assertEquals(Double.valueOf(8.566), row.get(ShowColumns.VOTE_AVERAGE));
    assertEquals(Long.valueOf(5974), row.get(ShowColumns.VOTE_COUNT));
    assertEquals(
        Integer.valueOf((int) LocalDate.parse("2023-01-15").toEpochDay()),
        row.get(ShowColumns.FIRST_AIR_DATE));
    assertEquals(List.of(18L), row.get(ShowColumns.GENRE_IDS));
    assertEquals(List.of("US"), row.get(ShowColumns.ORIGIN_COUNTRY));
    assertNull("an empty text is null", row.get(ShowColumns.OVERVIEW));
    assertEquals(
        "a bare response has no time: its day", day, (int) row.get(ShowColumns.INGESTION_DATE));
    assertEquals(Long.valueOf(4), row.get(ShowColumns.SOURCE_LINE));
    assertEquals(TRENDING, row.get(ShowColumns.SOURCE_FILE));
  }

  @Test
  public void anEmptyFirstAirDateIsNull() {
    ShowFiles.Result r = ShowFiles.read(TRENDING, page(show("\"first_air_date\": \"\"")));
    assertNull(r.rows().get(0).get(ShowColumns.FIRST_AIR_DATE));
  }

  @Test
  public void eachBrokenRuleHasItsReason() {
    assertEquals(Reason.INVALID_SHOW_ID, reasonOf("\"id\": 0"));
    assertEquals(Reason.INVALID_SHOW_ID, reasonOf("\"id\": \"100088\""));
    assertEquals(Reason.MISSING_NAME, reasonOf("\"name\": DROP"));
    assertEquals(Reason.MISSING_NAME, reasonOf("\"name\": \" \""));
    assertEquals(Reason.INVALID_POPULARITY, reasonOf("\"popularity\": \"349.7\""));
    assertEquals(Reason.INVALID_POPULARITY, reasonOf("\"popularity\": -1"));
    assertEquals(Reason.INVALID_VOTE_AVERAGE, reasonOf("\"vote_average\": 10.5"));
    assertEquals(Reason.INVALID_VOTE_COUNT, reasonOf("\"vote_count\": 12.5"));
    assertEquals(Reason.INVALID_FIRST_AIR_DATE, reasonOf("\"first_air_date\": \"2023-02-29\""));
    assertEquals(Reason.INVALID_FIRST_AIR_DATE, reasonOf("\"first_air_date\": \"15/01/2023\""));
    assertEquals(Reason.INVALID_GENRE_IDS, reasonOf("\"genre_ids\": [18, \"x\"]"));
    assertEquals(Reason.INVALID_GENRE_IDS, reasonOf("\"genre_ids\": DROP"));
    assertEquals(Reason.INVALID_ORIGIN_COUNTRY, reasonOf("\"origin_country\": [\"us\"]"));
  }

  @Test
  public void theFirstBrokenRuleIsTheReasonAndTheRawBytesAreTheRecords() {
    String bad = show("\"id\": -5").replace("\"name\": \"The Last of Us\"", "\"name\": null");
    ShowFiles.Result r = ShowFiles.read(TRENDING, page(show(null), bad));
    Rejected x = r.rejected().get(0);
    assertEquals(Reason.INVALID_SHOW_ID, x.reason());
    assertEquals("trending", x.region());
    assertEquals(TRENDING, x.sourceFile());
    assertEquals(20, x.line());
    assertEquals(bad.strip(), x.rawText());
  }

  @Test
  public void theWrapperGivesTheIngestionDayAndMustNameTheFoldersList() {
    String wrapped =
        "{\"results\": [\n"
            + show(null)
            + "\n], \"_metadata\": {\"ingestion_timestamp\": \"2025-05-27T01:30:00+02:00\","
            + " \"execution_id\": \"e1\", \"data_type\": \"%s\"}}";
    ShowFiles.Result ok =
        ShowFiles.read(
            TRENDING, String.format(wrapped, "trending").getBytes(StandardCharsets.UTF_8));
    assertEquals("tmdb_list_wrapped", ok.layout());
    assertEquals(
        "the day of the timestamp, at its own offset",
        (int) LocalDate.parse("2025-05-27").toEpochDay(),
        (int) ok.rows().get(0).get(ShowColumns.INGESTION_DATE));
    ShowFiles.Result misfiled =
        ShowFiles.read(
            TRENDING, String.format(wrapped, "popular").getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(), misfiled.rows());
    assertEquals(Reason.INVALID_PATH, misfiled.rejected().get(0).reason());
  }

  @Test
  public void aFileThatIsNotAListIsOneMalformedRecordAndAPathOutsideTheListsRejectsAll() {
    byte[] error =
        "{\"status_code\": 7, \"status_message\": \"Invalid API key\"}"
            .getBytes(StandardCharsets.UTF_8);
    ShowFiles.Result r = ShowFiles.read(TRENDING, error);
    assertEquals(1, r.records());
    assertEquals(Reason.MALFORMED_JSON, r.rejected().get(0).reason());
    assertTrue(r.rejected().get(0).rawText().contains("Invalid API key"));
    byte[] cut = Arrays.copyOf(page(show(null), show(null)), 200);
    assertEquals(1, ShowFiles.read(TRENDING, cut).rejected().size());

    String weekly = "raw_tmdb/shows/data_type=weekly/dt=2025-05-26/p.json";
    ShowFiles.Result w = ShowFiles.read(weekly, page(show(null), show(null)));
    assertEquals(2, w.rejected().size());
    assertTrue(w.rejected().stream().allMatch(x -> x.reason() == Reason.INVALID_PATH));
    assertEquals("unknown", w.rejected().get(0).region());
  }

  @Test
  public void genreNamesFollowGenreIdsWithNullForAnUnknownId() {
    Row row =
        ShowFiles.read(TRENDING, page(show("\"genre_ids\": [10765, 99999, 18]"))).rows().get(0);
    Row joined = TmdbDataset.joinGenres(row, Map.of("18", "Drama", "10765", "Sci-Fi & Fantasy"));
    assertEquals(
        Arrays.asList("Sci-Fi & Fantasy", null, "Drama"), joined.get(ShowColumns.GENRE_NAMES));
    assertTrue(TmdbDataset.INSTANCE.joinMissed(joined));
  }
}
