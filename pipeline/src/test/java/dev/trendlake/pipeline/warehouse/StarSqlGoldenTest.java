package dev.trendlake.pipeline.warehouse;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * Every statement the load writes, for each star and dialect, compared byte for byte with the files
 * in {@code src/test/resources/warehouse-sql/}. The other tests check what the SQL means; this one
 * makes any change to its text show up in review, and keeps a refactoring of the SQL classes
 * honest. On a mismatch the text written is left in {@code target/warehouse-sql/}: when the change
 * is meant, copy it over the golden file.
 */
public class StarSqlGoldenTest {
  @Test
  public void youTubePostgres() throws IOException {
    check("youtube-postgres.sql", new StarSql(Dialect.POSTGRES, "trendlake", YouTubeStar.INSTANCE));
  }

  @Test
  public void youTubeRedshift() throws IOException {
    check("youtube-redshift.sql", new StarSql(Dialect.REDSHIFT, "trendlake", YouTubeStar.INSTANCE));
  }

  @Test
  public void tmdbPostgres() throws IOException {
    check("tmdb-postgres.sql", new StarSql(Dialect.POSTGRES, "trendlake", ShowStar.INSTANCE));
  }

  @Test
  public void tmdbRedshift() throws IOException {
    check("tmdb-redshift.sql", new StarSql(Dialect.REDSHIFT, "trendlake", ShowStar.INSTANCE));
  }

  private static void check(String name, StarSql sql) throws IOException {
    String actual = String.join(";\n\n", statements(sql)) + ";\n";
    String expected;
    try (InputStream in = StarSqlGoldenTest.class.getResourceAsStream("/warehouse-sql/" + name)) {
      expected = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!expected.equals(actual)) {
      Path out = Path.of("target", "warehouse-sql", name);
      Files.createDirectories(out.getParent());
      Files.writeString(out, actual);
    }
    assertEquals(name + " (actual text in target/warehouse-sql/)", expected, actual);
  }

  /** Each statement once, in the order a load runs them. */
  private static List<String> statements(StarSql sql) {
    Star star = sql.star();
    StarSchema.RunTables r = sql.runTables("r1");
    StarDdl ddl = new StarDdl(sql);
    StagingSql staging = new StagingSql(sql);
    SourceSql sources = new SourceSql(sql);
    InferredMemberSql inferred = new InferredMemberSql(sql);
    MergeSql merges = new MergeSql(sql);
    StarKeys keys = new StarKeys(sql);
    List<String> out = new ArrayList<>(ddl.createAll());
    out.add(merges.deleteLoadRun());
    out.addAll(ddl.createRunTables(r));
    out.add(staging.stagedBatches(r, 3));
    out.addAll(staging.deleteBatches(r, 3));
    out.add(staging.insertBatch(r));
    out.add(staging.copyStageFactFromStdin(r));
    out.add(staging.insertStageFact(r));
    for (int i = 0; i < star.staged().size(); i++) {
      out.add(staging.copyStagedFromStdin(r, i));
      out.add(staging.insertStaged(r, i));
    }
    if (sql.dialect() == Dialect.REDSHIFT && star.copiesFromS3()) {
      RedshiftCopy copy = new RedshiftCopy(sql);
      out.add(copy.createGoldLanding());
      out.add(copy.insertStageFromLanding(r));
    }
    out.add(merges.loadRunExists());
    out.add(staging.countStaged(r));
    out.addAll(sources.clearSources(r));
    for (Star.SideRows side : star.sources(Star.SideRows.class).toList()) {
      out.add(sql.insertInto(r.named(side.prefix()), side.table().columnNames()));
      out.add(inferred.addInferredMembers(r, side));
    }
    out.addAll(sources.fillSources(r));
    out.add(sources.distinctStagedDates(r));
    for (Star.Dates dates : star.sources(Star.Dates.class).toList()) {
      out.add(sql.insertInto(r.named(dates.prefix()), dates.table().columnNames()));
    }
    out.add(keys.lockMerged());
    for (StarSchema.Table t : star.merged()) {
      out.add(keys.anyRow(t));
    }
    out.addAll(keys.dropKeys());
    out.add(merges.deleteReplacedFacts(r.sourceOf(star.fact())));
    out.add(merges.deletePartitionFacts());
    out.addAll(merges.replaceLists(r));
    for (StarSchema.Table t : star.merged()) {
      out.add(keys.insertAll(t, r.sourceOf(t)));
    }
    out.addAll(merges.merges(r));
    out.addAll(keys.addKeys());
    out.add(keys.existingConstraints());
    for (StarSchema.ForeignKey fk : star.foreignKeys()) {
      out.add(keys.addForeignKey(fk));
      keys.backfillInferred(fk).ifPresent(out::add);
    }
    out.add(merges.insertLoadRun());
    out.addAll(ddl.dropRunTables(r));
    return out;
  }
}
