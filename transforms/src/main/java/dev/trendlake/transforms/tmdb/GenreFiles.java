package dev.trendlake.transforms.tmdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.SideTable;
import dev.trendlake.transforms.model.Reason;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * A TMDB {@code /genre/tv/list} response ({@code genres[]}, each an {@code id} and a {@code name})
 * to genre rows: a genre without a positive integer id or a name is rejected ({@code
 * invalid_genre}); a file that does not parse or has no {@code genres} array is one rejected record
 * ({@code malformed_json}).
 */
public final class GenreFiles {
  private GenreFiles() {}

  public static SideTable.Parsed read(String path, byte[] bytes) {
    ListJson.Doc doc = ListJson.parse(bytes, "genres", "a TMDB genre list response");
    if (doc.problem() != null) {
      return new SideTable.Parsed(
          List.of(),
          List.of(
              new Rejected(
                  TmdbDataset.GENRES,
                  Dataset.ALL_GROUPS,
                  path,
                  1,
                  Reason.MALFORMED_JSON,
                  doc.problem(),
                  ListJson.rawOfFile(bytes))),
          1);
    }
    List<Row> rows = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    for (ListJson.Item item : doc.items()) {
      JsonNode g = item.value();
      JsonNode id = g.get("id");
      JsonNode name = g.get("name");
      String problem = null;
      if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() <= 0) {
        problem = "genre id " + ShowRules.shown(id) + " is not a positive integer";
      } else if (name == null || !name.isTextual() || name.asText().isBlank()) {
        problem = "genre " + id.asLong() + " has no name: " + ShowRules.shown(name);
      }
      if (problem != null) {
        rejected.add(
            new Rejected(
                TmdbDataset.GENRES,
                Dataset.ALL_GROUPS,
                path,
                item.line(),
                Reason.INVALID_GENRE,
                problem,
                item.raw()));
      } else {
        rows.add(GenreColumns.of(id.asLong(), name.asText(), path));
      }
    }
    return new SideTable.Parsed(rows, rejected, doc.items().size());
  }
}
