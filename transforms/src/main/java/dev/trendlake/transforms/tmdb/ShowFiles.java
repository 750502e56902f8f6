package dev.trendlake.transforms.tmdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trendlake.transforms.model.Reason;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One TMDB list file, from its bytes to clean rows and rejects: the path must be under {@code
 * data_type=<popular|trending|airing_today>/dt=<yyyy-mm-dd>/}; the document a list response ({@code
 * page}, {@code results[]}), bare or in the ingest's wrapper {@code {"results": [...], "_metadata":
 * {"ingestion_timestamp", "execution_id", "data_type"}}}. A file that is not one, or does not
 * parse, is one rejected record ({@code malformed_json}) holding the file's bytes; a file whose
 * path or {@code _metadata.data_type} names no list of its own has every record rejected ({@code
 * invalid_path}); every other record goes through {@link ShowRules}.
 */
public final class ShowFiles {
  private ShowFiles() {}

  /** The lists the ingest pulls, as they appear in {@code data_type=}. */
  public static final Set<String> LISTS = Set.of("popular", "trending", "airing_today");

  /** A file's list and day, from its folders, or why it has none. */
  record Place(String dataType, Integer dt, String problem) {}

  static Place place(String path) {
    String dataType = null;
    String dt = null;
    for (String part : path.split("/")) {
      if (part.startsWith("data_type=")) {
        dataType = part.substring("data_type=".length());
      } else if (part.startsWith("dt=")) {
        dt = part.substring("dt=".length());
      }
    }
    Integer day = ShowRules.isoDate(dt);
    if (dataType == null || !LISTS.contains(dataType) || day == null) {
      return new Place(
          null,
          null,
          "the path "
              + path
              + " is not under data_type=<popular|trending|airing_today>/dt=<yyyy-mm-dd>/");
    }
    return new Place(dataType, day, null);
  }

  /** The file's layout (for the manifest), its records, rows and rejects. */
  public record Result(String layout, long records, List<Row> rows, List<Rejected> rejected) {}

  public static Result read(String path, byte[] bytes) {
    Place place = place(path);
    String group = place.problem() == null ? place.dataType() : "unknown";
    ListJson.Doc doc = ListJson.parse(bytes, "results", "a TMDB list response");
    if (doc.problem() != null) {
      return new Result(
          "unreadable",
          1,
          List.of(),
          List.of(
              new Rejected(
                  TmdbDataset.SHOWS,
                  group,
                  path,
                  1,
                  Reason.MALFORMED_JSON,
                  doc.problem(),
                  ListJson.rawOfFile(bytes))));
    }
    JsonNode meta = doc.fields().get("_metadata");
    String layout = meta != null && meta.isObject() ? "tmdb_list_wrapped" : "tmdb_list";
    String problem = place.problem();
    if (problem == null && meta != null && meta.path("data_type").isTextual()) {
      String declared = meta.path("data_type").asText();
      if (!declared.equals(place.dataType())) {
        problem =
            "_metadata.data_type '"
                + declared
                + "' disagrees with the folder data_type="
                + place.dataType();
      }
    }
    List<Row> rows = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    if (problem != null) {
      for (ListJson.Item item : doc.items()) {
        rejected.add(
            new Rejected(
                TmdbDataset.SHOWS,
                group,
                path,
                item.line(),
                Reason.INVALID_PATH,
                problem,
                item.raw()));
      }
      return new Result(layout, doc.items().size(), rows, rejected);
    }
    ShowRules.Origin origin =
        new ShowRules.Origin(path, place.dataType(), place.dt(), ingestionDate(meta, place.dt()));
    for (ListJson.Item item : doc.items()) {
      ShowRules.Outcome o = ShowRules.clean(item.value(), item.line(), item.raw(), origin);
      if (o.row() != null) {
        rows.add(o.row());
      } else {
        rejected.add(o.rejected());
      }
    }
    return new Result(layout, doc.items().size(), rows, rejected);
  }

  /**
   * The day of {@code _metadata.ingestion_timestamp} (an ISO date-time with an offset, or a local
   * one, read as UTC), else the file's day: the wrapper is optional and bare responses carry no
   * time.
   */
  static int ingestionDate(JsonNode meta, int dt) {
    if (meta == null || !meta.path("ingestion_timestamp").isTextual()) {
      return dt;
    }
    String ts = meta.path("ingestion_timestamp").asText();
    try {
      return (int) OffsetDateTime.parse(ts).toLocalDate().toEpochDay();
    } catch (DateTimeException e) {
      try {
        return (int) LocalDate.parse(ts.substring(0, Math.min(10, ts.length()))).toEpochDay();
      } catch (DateTimeException e2) {
        return dt;
      }
    }
  }
}
