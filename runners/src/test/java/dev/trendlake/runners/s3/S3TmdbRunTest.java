package dev.trendlake.runners.s3;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.trendlake.runners.CliRun;
import dev.trendlake.testkit.LakeReader;
import dev.trendlake.testkit.S3MockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The TMDB dataset with {@code s3://} in and out (s3mock): {@code testdata/tmdb/bronze} read from
 * S3 and written to S3 gives exactly the gold, silver, quarantine and manifest counts of the local
 * run, which {@code TmdbRunTest} holds to {@code testdata/tmdb/expected/}.
 */
public class S3TmdbRunTest {
  @ClassRule public static final S3MockServer SERVER = new S3MockServer();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static final String KEY = "AKIDTRENDLAKETEST";
  static final String SECRET = "trendlake-test-secret-never-print";
  static final Path TMDB = Paths.get("..", "testdata", "tmdb").toAbsolutePath().normalize();

  private static void compare(String name, List<String> actual) throws IOException {
    assertEquals(
        "differs from testdata/tmdb/expected/" + name,
        Files.readString(TMDB.resolve("expected").resolve(name), StandardCharsets.UTF_8),
        String.join("\n", actual) + "\n");
  }

  @Test
  public void anS3RunGivesTheLocalRunsLake() throws IOException {
    S3Client s3 = SERVER.client(KEY, SECRET);
    try {
      s3.createBucket(b -> b.bucket("bronze"));
      s3.createBucket(b -> b.bucket("lake"));
      LakeFiles.upload(s3, TMDB.resolve("bronze"), "bronze", "tmdb");

      CliRun r =
          CliRun.of(
              "run",
              "--dataset=tmdb",
              "--runner=DirectRunner",
              "--input=s3://bronze/tmdb",
              "--output=s3://lake/tmdb",
              "--endpoint=" + SERVER.endpoint(),
              "--awsRegion=us-east-1",
              "--s3PathStyleAccess=true");
      assertEquals(r.all(), 0, r.status());
      assertThat("a secret reached the output", r.all(), not(containsString(SECRET)));
      assertThat(r.out(), containsString("s3://lake/tmdb/_manifests/"));
      assertThat(LakeFiles.keys(s3, "lake", "tmdb/_staging"), empty());

      Path got = tmp.newFolder("lake").toPath();
      LakeFiles.download(s3, "lake", "tmdb", got);
      compare("gold.jsonl", LakeReader.parquetRows(got.resolve("gold/tmdb_shows")));
      compare("silver_shows.jsonl", LakeReader.parquetRows(got.resolve("silver/tmdb_shows")));
      compare("silver_genres.jsonl", LakeReader.parquetRows(got.resolve("silver/tmdb_genres")));
      compare("quarantine.jsonl", LakeReader.jsonLines(got.resolve("quarantine")));
      compare("manifest.json", List.of(LakeReader.manifestCounts(got)));
    } finally {
      s3.close();
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }
}
