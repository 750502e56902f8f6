package dev.trendlake.transforms.tmdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trendlake.transforms.model.Reason;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowBuilder;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The cleaning rules of a TMDB show, as pure functions, in contract order (the first rule broken is
 * the record's reason): {@code id} a positive integer; {@code name} present; {@code popularity} a
 * non-negative number, {@code vote_average} a number from zero to ten, {@code vote_count} a
 * non-negative integer; {@code first_air_date} an ISO date or empty (null); {@code genre_ids} a
 * list of integers; {@code origin_country} a list of two-letter codes.
 *
 * <p>Types are enforced as JSON types: a number sent as a quoted string breaks its rule, as a
 * schema-enforcing reader (a Glue table, Spark with a schema) would reject it. Text fields are kept
 * as sent; an empty one is null.
 */
public final class ShowRules {
  private ShowRules() {}

  private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

  /** Where a record comes from: its file, the file's list and day, and its ingestion date. */
  public record Origin(String sourceFile, String dataType, int dt, int ingestionDate) {}

  /** The result of cleaning one record: exactly one of row and rejected is set. */
  public record Outcome(Row row, Rejected rejected) {}

  public static Outcome clean(JsonNode show, long line, byte[] raw, Origin o) {
    RowBuilder b = ShowColumns.SCHEMA.row();
    b.set(ShowColumns.DATA_TYPE, o.dataType())
        .set(ShowColumns.DT, o.dt())
        .set(ShowColumns.INGESTION_DATE, o.ingestionDate())
        .set(ShowColumns.SOURCE_FILE, o.sourceFile())
        .set(ShowColumns.SOURCE_LINE, line);
    if (!show.isObject()) {
      return fail(o, line, raw, Reason.INVALID_SHOW_ID, "the result is not a JSON object");
    }
    JsonNode id = show.get("id");
    if (!integral(id) || id.asLong() <= 0) {
      return fail(
          o, line, raw, Reason.INVALID_SHOW_ID, "id " + shown(id) + " is not a positive integer");
    }
    b.set(ShowColumns.SHOW_ID, id.asLong());
    JsonNode name = show.get("name");
    if (name == null || !name.isTextual() || name.asText().isBlank()) {
      return fail(
          o,
          line,
          raw,
          Reason.MISSING_NAME,
          "show " + id.asLong() + " has no name: " + shown(name));
    }
    b.set(ShowColumns.TITLE, name.asText());
    JsonNode pop = show.get("popularity");
    if (!finite(pop) || pop.asDouble() < 0) {
      return fail(
          o,
          line,
          raw,
          Reason.INVALID_POPULARITY,
          "popularity " + shown(pop) + " is not a non-negative number");
    }
    b.set(ShowColumns.POPULARITY, pop.asDouble());
    JsonNode avg = show.get("vote_average");
    if (!finite(avg) || avg.asDouble() < 0 || avg.asDouble() > 10) {
      return fail(
          o,
          line,
          raw,
          Reason.INVALID_VOTE_AVERAGE,
          "vote_average " + shown(avg) + " is not a number from 0 to 10");
    }
    b.set(ShowColumns.VOTE_AVERAGE, avg.asDouble());
    JsonNode count = show.get("vote_count");
    if (!integral(count) || count.asLong() < 0) {
      return fail(
          o,
          line,
          raw,
          Reason.INVALID_VOTE_COUNT,
          "vote_count " + shown(count) + " is not a non-negative integer");
    }
    b.set(ShowColumns.VOTE_COUNT, count.asLong());
    JsonNode first = show.get("first_air_date");
    Integer firstAir = null;
    if (first != null && !first.isNull() && !(first.isTextual() && first.asText().isEmpty())) {
      firstAir = first.isTextual() ? isoDate(first.asText()) : null;
      if (firstAir == null) {
        return fail(
            o,
            line,
            raw,
            Reason.INVALID_FIRST_AIR_DATE,
            "first_air_date " + shown(first) + " is neither empty nor an ISO date (yyyy-mm-dd)");
      }
    }
    b.set(ShowColumns.FIRST_AIR_DATE, firstAir);
    JsonNode genres = show.get("genre_ids");
    List<Long> genreIds = new ArrayList<>();
    boolean genresOk = genres != null && genres.isArray();
    for (int i = 0; genresOk && i < genres.size(); i++) {
      genresOk = integral(genres.get(i));
      if (genresOk) {
        genreIds.add(genres.get(i).asLong());
      }
    }
    if (!genresOk) {
      return fail(
          o,
          line,
          raw,
          Reason.INVALID_GENRE_IDS,
          "genre_ids " + shown(genres) + " is not a list of integers");
    }
    b.set(ShowColumns.GENRE_IDS, list(genreIds));
    JsonNode countries = show.get("origin_country");
    List<String> codes = new ArrayList<>();
    boolean countriesOk = countries != null && countries.isArray();
    for (int i = 0; countriesOk && i < countries.size(); i++) {
      JsonNode c = countries.get(i);
      countriesOk = c.isTextual() && COUNTRY.matcher(c.asText()).matches();
      if (countriesOk) {
        codes.add(c.asText());
      }
    }
    if (!countriesOk) {
      return fail(
          o,
          line,
          raw,
          Reason.INVALID_ORIGIN_COUNTRY,
          "origin_country " + shown(countries) + " is not a list of two-letter country codes");
    }
    b.set(ShowColumns.ORIGIN_COUNTRY, list(codes));
    b.set(ShowColumns.ORIGINAL_TITLE, text(show.get("original_name")))
        .set(ShowColumns.POSTER_PATH, text(show.get("poster_path")))
        .set(ShowColumns.BACKDROP_PATH, text(show.get("backdrop_path")))
        .set(ShowColumns.OVERVIEW, text(show.get("overview")))
        .set(ShowColumns.ORIGINAL_LANGUAGE, text(show.get("original_language")));
    return new Outcome(b.build(raw.length), null);
  }

  /** An ISO date as days since the epoch, or null. */
  public static Integer isoDate(String s) {
    if (s == null || !ISO_DATE.matcher(s).matches()) {
      return null;
    }
    try {
      return (int) LocalDate.parse(s).toEpochDay();
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static <T> List<T> list(List<T> l) {
    return l.isEmpty() ? List.of() : Collections.unmodifiableList(l);
  }

  private static boolean integral(JsonNode n) {
    return n != null && n.isIntegralNumber() && n.canConvertToLong();
  }

  private static boolean finite(JsonNode n) {
    return n != null && n.isNumber() && Double.isFinite(n.asDouble());
  }

  private static String text(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    String s = n.isValueNode() ? n.asText() : n.toString();
    return s.isEmpty() ? null : s;
  }

  /** A value as a message shows it: its JSON text, abbreviated, or "(missing)". */
  static String shown(JsonNode n) {
    if (n == null) {
      return "(missing)";
    }
    String s = n.toString();
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  private static Outcome fail(Origin o, long line, byte[] raw, Reason reason, String detail) {
    return new Outcome(
        null,
        new Rejected(TmdbDataset.SHOWS, o.dataType(), o.sourceFile(), line, reason, detail, raw));
  }
}
