package dev.trendlake.transforms;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import java.io.Serializable;
import java.util.Map;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Everything the shared engine needs to know of one dataset, in one place: where its bronze lies
 * and how it is read and cleaned ({@link #readMain}), its main table (columns, partition key, the
 * group its counts are kept by, lineage), its dedupe rule, its side input and the join with it
 * ({@link #side()}, {@link #join}), and where its tables live in the lake. The graph, the commit,
 * quarantine, the manifest, incremental runs and the warehouse load are written once against this
 * interface, so a dataset is one package plus one line in {@link Datasets}. Its warehouse tables,
 * which are SQL and so live beside the loader, are its star in {@code pipeline}'s warehouse package
 * ({@code Star.of}); a dataset without one runs without a warehouse.
 *
 * <p>Implementations are stateless singletons: they travel inside DoFns, so they must serialise.
 */
public interface Dataset extends Serializable {

  /** A side-input group meaning "every group": a change there rewrites every partition. */
  String ALL_GROUPS = "*";

  /** The name {@code --dataset} takes, e.g. {@code youtube}. */
  String name();

  /** The main table: silver's and gold's columns, partition columns first. */
  RowSchema schema();

  /** The partition column counts are kept by in the manifest (YouTube: the region). */
  Col<String> groupCol();

  /** The lineage column naming the source file, relative to the bronze root. */
  Col<String> sourceFile();

  /** The lineage column holding the 1-based line (or position) of the source record. */
  Col<Long> sourceLine();

  /** The group a row's counts are kept by. */
  default String group(Row row) {
    return row.get(groupCol());
  }

  /** Rows of one partition with the same key are duplicates; one survives. */
  String dedupeKey(Row row);

  /** Negative when {@code a} is the better of two duplicates. */
  int compareBest(Row a, Row b);

  /** Negative when {@code a} is written before {@code b} in its partition's files. */
  int compareOutput(Row a, Row b);

  /** True when the row's side-input join found nothing (counted per group). */
  boolean joinMissed(Row row);

  /** The row's day (days since 1970-01-01), for the freshness rule (YouTube: trending date). */
  int day(Row row);

  /**
   * A count that should only grow from one day to the next for the same {@link #dedupeKey} within a
   * group, for the monotonic rule (YouTube: views).
   */
  long growingMeasure(Row row);

  /**
   * The folder under the bronze root that holds the main files ({@code raw_statistics}), listed at
   * any depth as every bronze folder is ({@code MatchFiles}).
   */
  String mainFolder();

  /** The extension of the main files, without the dot ({@code csv}); any other entry is skipped. */
  String mainExtension();

  /**
   * The kind of the main files' tallies and rejects: also the name of their quarantine folder
   * ({@code quarantine/<kind>/<group col>=<group>/}).
   */
  String mainKind();

  /** Silver's folder of the main table, relative to the output root. */
  String silverTable();

  /** Gold's folder of the main table, relative to the output root. */
  String goldTable();

  /** The side input: its files, rows, key and value. */
  SideTable side();

  /**
   * Reads the main bronze files, cleans their records and joins each clean row with the side
   * input's map ({@link SideTable#key}/{@link SideTable#value}). Out, under {@link ReadTags}: rows
   * batched by partition path, rejected records, one tally per file. Files of {@code rebuild} give
   * only their rows of its partitions (see {@link Rebuild}).
   */
  PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> readMain(
      String bronzeRoot, PCollectionView<Map<String, String>> side, Rebuild rebuild);

  /**
   * A committed row, read back from silver, joined again with the current side input (an
   * incremental run that rewrites its partition, possibly after the side input changed).
   */
  Row join(Row row, Map<String, String> side);
}
