package dev.trendlake.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.runners.cli.RunCommand;
import dev.trendlake.testkit.LakeReader;
import dev.trendlake.testkit.S3MockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code trendlake ingest --source=tmdb} into an {@code s3://} bronze (s3mock): the same objects,
 * byte for byte, as into a folder, no upload left open, and {@code trendlake run --dataset=tmdb}
 * reads them from S3 into gold.
 */
public class TmdbIngestS3Test {
  @ClassRule public static final S3MockServer SERVER = new S3MockServer();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  static final String BUCKET = "tmdb-bronze";

  @Test
  public void ingestToS3ThenRunFromS3() throws Exception {
    List<String> s3Options =
        List.of(
            "--endpoint=" + SERVER.endpoint(),
            "--awsRegion=us-east-1",
            "--s3ClientFactoryClass=dev.trendlake.pipeline.s3.TrendlakeS3ClientFactory",
            "--s3PathStyleAccess=true");
    try (S3Client s3 = SERVER.client("AKIDTMDBINGEST", "tmdb-ingest-secret");
        ReplayServer api = new ReplayServer()) {
      s3.createBucket(b -> b.bucket(BUCKET));
      api.onTmdb(
              "genre/tv/list", null, ReplayServer.Reply.ok(TmdbIngestTest.fixture("genres.json")))
          .onTmdb("tv/popular", 1, ReplayServer.Reply.ok(TmdbIngestTest.fixture("popular-p1.json")))
          .onTmdb("tv/popular", 2, ReplayServer.Reply.ok(TmdbIngestTest.fixture("popular-p2.json")))
          .onTmdb(
              "trending/tv/day",
              1,
              ReplayServer.Reply.ok(TmdbIngestTest.fixture("trending-p1.json")))
          .onTmdb(
              "tv/airing_today",
              1,
              ReplayServer.Reply.ok(TmdbIngestTest.fixture("airing_today-p1.json")));
      List<String> args =
          new java.util.ArrayList<>(
              List.of(
                  "--source=tmdb",
                  "--output=s3://" + BUCKET + "/landing",
                  "--apiBaseUrl=" + api.tmdbBaseUrl(),
                  "--executionId=" + TmdbIngestTest.EXEC));
      args.addAll(s3Options);
      IngestTest.Result r =
          IngestTest.ingest(
              IngestTest.T,
              Map.of(Source.TMDB.keyEnv(), TmdbIngestTest.KEY),
              args.toArray(new String[0]));
      assertEquals(r.all(), 0, r.exit());
      assertThat(r.all(), not(containsString(TmdbIngestTest.KEY)));

      TreeSet<String> keys = new TreeSet<>();
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("landing/")).contents()) {
        keys.add(o.key().substring("landing/".length()));
      }
      assertEquals(
          new TreeSet<>(
              List.of(
                  TmdbIngestTest.GENRES_FILE,
                  TmdbIngestTest.page("popular", 1),
                  TmdbIngestTest.page("popular", 2),
                  TmdbIngestTest.page("trending", 1),
                  TmdbIngestTest.page("airing_today", 1),
                  TmdbIngestTest.RAW + "_requests.json")),
          keys);
      for (String[] f :
          new String[][] {
            {"expected/popular-p001.json", TmdbIngestTest.page("popular", 1)},
            {"expected/trending-p001.json", TmdbIngestTest.page("trending", 1)},
            {"genres.json", TmdbIngestTest.GENRES_FILE}
          }) {
        assertArrayEquals(
            f[1],
            TmdbIngestTest.fixture(f[0]),
            s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("landing/" + f[1])).asByteArray());
      }
      assertThat(
          s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().stream()
              .map(u -> u.key())
              .toList(),
          empty());

      Path lake = tmp.getRoot().toPath().resolve("lake");
      List<String> run =
          new java.util.ArrayList<>(
              List.of(
                  "--dataset=tmdb",
                  "--input=s3://" + BUCKET + "/landing",
                  "--output=" + lake,
                  "--runner=DirectRunner",
                  "--runId=s3-tmdb"));
      run.addAll(s3Options);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status =
          RunCommand.run(
              run.toArray(new String[0]),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(out, true, StandardCharsets.UTF_8));
      assertEquals(out.toString(StandardCharsets.UTF_8), 0, status);
      JsonNode totals =
          new ObjectMapper()
              .readTree(lake.resolve("_manifests/s3-tmdb.json").toFile())
              .path("totals");
      assertEquals(totals.toString(), 7, totals.path("gold").asLong());
      assertEquals(totals.toString(), 0, totals.path("quarantined").asLong());
      assertEquals(7, LakeReader.parquetRows(lake.resolve("gold/tmdb_shows")).size());
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }
}
