package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.Column;
import dev.trendlake.pipeline.warehouse.StarSchema.ForeignKey;
import dev.trendlake.pipeline.warehouse.StarSchema.Table;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.row.Row;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One dataset's star schema, as the shared loader ({@link WarehouseLoader}, {@link StarSql}, {@link
 * StarMerge}) needs it: its tables and keys, its staging columns, how each merged table is filled
 * from this run's staging ({@link Source}), and how a gold row becomes staged values. The load
 * itself (staging by batch, the staged-count check, the first load's bulk path, MERGE, the replaced
 * and removed partitions, {@code load_run}) is written once against this interface.
 *
 * <p>The fact is keyed by the partition ({@link #groupColumn()} and {@code date_key}) and {@link
 * #rowKey()}: a staged partition replaces its facts whole, as it replaces its gold files.
 * Implementations are stateless singletons (enums): they travel inside the load's DoFns.
 */
public interface Star extends Serializable {

  /** Prefix of the fact staging table (one row per gold row, fact and dimension columns). */
  String STAGE_FACT = "stg_fact";

  /** Prefix of the batch table (one row per staged partition). */
  String STAGE_BATCH = "stg_batch";

  /** Every star, one per dataset that has warehouse tables. */
  static List<Star> all() {
    return List.of(YouTubeStar.INSTANCE, ShowStar.INSTANCE);
  }

  /** The star of {@code dataset}, if it has warehouse tables. */
  static Optional<Star> of(Dataset dataset) {
    return all().stream().filter(s -> s.dataset().name().equals(dataset.name())).findFirst();
  }

  /** The dataset whose gold this star is loaded from. */
  Dataset dataset();

  /** Every table, referenced tables before those that refer to them, {@code load_run} last. */
  List<Table> tables();

  /** The tables a load merges into, in load order: dimensions first, then the fact. */
  List<Table> merged();

  /** Every arrow of the star, named so that a load can find, drop and add each. */
  List<ForeignKey> foreignKeys();

  /** The fact table, merged from the fact staging table. */
  Table fact();

  /** The fact's column holding the partition's group ({@code region_code}, {@code data_type}). */
  String groupColumn();

  /** The fact's key column within one partition ({@code video_id}, {@code show_id}). */
  String rowKey();

  /** The fact staging table's columns, {@code batch_id} first. */
  List<Column> stageFact();

  /** The batch table's columns: batch_id, the group column, date_key, rows. */
  List<Column> stageBatch();

  /** Other tables the staging steps fill besides the fact staging, keyed by batch id too. */
  default List<Staged> staged() {
    return List.of();
  }

  /** How each merged table but the fact is filled this run, in the order they are filled. */
  List<Source> sources();

  /** The row mapping for one staging step (it may cache what is costly to compute). */
  StageRows stageRows();

  /** A side-input row (a category, a genre) as the values of its {@link SideRows} table. */
  Object[] sideValues(Row side);

  /**
   * True when Redshift may stage this star by COPY from the gold Parquet ({@link RedshiftCopy}).
   */
  default boolean copiesFromS3() {
    return false;
  }

  /** A first query the run summary suggests, on the star's tables. */
  String sampleQuery();

  /** How a gold row becomes staged rows, in the column order of their tables. */
  interface StageRows {
    /** The values of its fact staging row. */
    Object[] fact(String batchId, Row gold);

    /** Its fact staging row in PostgreSQL COPY text format. */
    default void appendFactCopy(StringBuilder sb, String batchId, Row gold) {
      StagedRow.appendCopyText(sb, fact(batchId, gold));
    }

    /** Its rows of the star's {@code index}-th other staged table ({@link Star#staged()}). */
    default List<Object[]> staged(int index, String batchId, Row gold) {
      return List.of();
    }
  }

  /** A staged table besides the fact staging: {@code batch_id} first. */
  record Staged(String prefix, List<Column> columns, String redshiftTail) {}

  /** Where a merged table's rows come from this run: a run table named by {@code prefix}. */
  sealed interface Source permits SideRows, Groups, Latest, Dates, ListOf {
    Table table();

    String prefix();
  }

  /**
   * The side input's rows ({@link Star#sideValues}), plus an inferred member for each key the
   * staged table {@code inferredFrom} uses that neither this run's rows nor the table hold: its
   * {@code unknownColumn} is {@code unknownValue}, its other columns null. So every row that refers
   * to the table has its row (its foreign key holds, an inner join keeps it), and a later side file
   * that names the key replaces the inferred values.
   */
  record SideRows(
      Table table, String prefix, String inferredFrom, String unknownColumn, String unknownValue)
      implements Source {}

  /** The groups (the table's one column) of the staged batches and of the side rows' table. */
  record Groups(Table table, String prefix, SideRows alsoFrom) implements Source {}

  /**
   * One row per key from the fact staging: the attributes of its latest day, ties broken by {@code
   * tieBreak}; the table's last column is {@code last_date_key}.
   */
  record Latest(Table table, String prefix, String tieBreak) implements Source {}

  /** The calendar of the staged days, computed per {@code date_key}. */
  record Dates(Table table, String prefix) implements Source {}

  /**
   * A list attribute of a {@link Latest} dimension, one row per entry (a bridge): the rows the
   * staged table {@code stagedPrefix} holds for each key's winning version, the same one {@code
   * owner} takes its attributes from. A key whose loaded version is newer than this run's keeps its
   * rows; otherwise the run's rows replace its list whole.
   */
  record ListOf(Table table, String prefix, Latest owner, String stagedPrefix) implements Source {}

  /** The sources of one kind, in order. */
  default <T extends Source> Stream<T> sources(Class<T> kind) {
    return sources().stream().filter(kind::isInstance).map(kind::cast);
  }
}
