package dev.trendlake.transforms;

import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import java.io.Serializable;
import java.util.List;

/**
 * A dataset's side input (YouTube: the categories; TMDB: the genres): small reference files read
 * whole every run ({@link ReadSide}), deduplicated by {@link #key} (the first file in path order
 * wins), written to silver ({@code <table>/<partition path>/}) and handed to the main read as a map
 * from {@link #key} to {@link #value}, built once.
 */
public interface SideTable extends Serializable {

  /**
   * The kind of its tallies and rejects, and its quarantine folder ({@code quarantine/<kind>/}).
   */
  String kind();

  /** The folder under the bronze root that holds its files, listed at any depth. */
  String folder();

  /** The extension of its files, without the dot ({@code json}). */
  String extension();

  /** Its silver folder, relative to the output root. */
  String table();

  RowSchema schema();

  Col<String> sourceFile();

  /** The layout name the manifest shows for its files. */
  String layout();

  /**
   * The group a side file's rows belong to, from its path: their main-table partitions are joined
   * again when it changes; {@link Dataset#ALL_GROUPS} when it serves every group; null when the
   * path names none (its rows are then rejected by {@link #parse}).
   */
  String fileGroup(String path);

  /** What one file gave: its rows, its rejected records, and how many records it held. */
  record Parsed(List<Row> rows, List<Rejected> rejected, long records) {}

  /**
   * @param group {@link #fileGroup} of the path (may be null)
   */
  Parsed parse(String path, String group, byte[] bytes);

  /** The join key: unique among the deduplicated rows. */
  String key(Row row);

  /** What the join looks up by {@link #key}. */
  String value(Row row);

  /** The group a kept row is counted under in the manifest, or null when it serves every group. */
  String rowGroup(Row row);

  /** Negative when {@code a} comes before {@code b} in its silver file. */
  int compareOutput(Row a, Row b);
}
