package dev.trendlake.runners.s3;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.runners.CliRun;
import dev.trendlake.runners.IncrementalRunTest;
import dev.trendlake.testkit.S3MockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Incremental runs with {@code s3://} in and out (s3mock): testdata arriving in five batches gives
 * the lake of one full run, files are told apart by their ETags, and the output's lock is a
 * conditional write that a second writer can't also win.
 */
public class S3IncrementalTest {
  @ClassRule public static final S3MockServer SERVER = new S3MockServer();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static final String KEY = "AKIDTRENDLAKETEST";
  static final String SECRET = "trendlake-test-secret-never-print";
  static final Path BRONZE = Paths.get("..", "testdata", "bronze").toAbsolutePath().normalize();

  static S3Client s3;

  @BeforeClass
  public static void setUp() {
    s3 = SERVER.client(KEY, SECRET);
    s3.createBucket(b -> b.bucket("bronze"));
    s3.createBucket(b -> b.bucket("lake"));
  }

  static CliRun run(String... args) {
    List<String> a = new ArrayList<>(List.of("run", "--warehouse=none", "--runner=DirectRunner"));
    a.addAll(List.of(args));
    a.add("--endpoint=" + SERVER.endpoint());
    a.add("--awsRegion=us-east-1");
    a.add("--s3PathStyleAccess=true");
    return CliRun.of(a.toArray(new String[0]));
  }

  private static void upload(String prefix, List<String> files) {
    for (String f : files) {
      s3.putObject(
          b -> b.bucket("bronze").key(prefix + "/" + f), RequestBody.fromFile(BRONZE.resolve(f)));
    }
  }

  private static JsonNode state(Path lake) throws IOException {
    ObjectNode m =
        (ObjectNode) LakeFiles.JSON.readTree(lake.resolve("_manifests/latest.json").toFile());
    ObjectNode out = LakeFiles.JSON.createObjectNode();
    for (String k : List.of("files", "partitions", "regions", "totals", "categories")) {
      out.set(k, m.get(k));
    }
    return out;
  }

  @Test
  public void batchesFromS3ToS3GiveTheLakeOfOneFullRun() throws IOException {
    List<List<String>> batches = IncrementalRunTest.BATCHES;
    for (List<String> batch : batches) {
      upload("inc", batch);
      if (batch == batches.get(batches.size() - 1)) {
        s3.putObject(
            b -> b.bucket("bronze").key("inc/" + IncrementalRunTest.LATE),
            RequestBody.fromString(IncrementalRunTest.LATE_CSV));
      }
      CliRun r = run("--input=s3://bronze/inc", "--output=s3://lake/inc");
      assertEquals(r.out() + r.err(), 0, r.status());
    }
    CliRun none = run("--input=s3://bronze/inc", "--output=s3://lake/inc");
    assertEquals(none.err(), 0, none.status());
    assertThat(none.out(), containsString("nothing new under s3://bronze/inc"));

    CliRun full = run("--input=s3://bronze/inc", "--output=s3://lake/full", "--mode=full");
    assertEquals(full.err(), 0, full.status());

    Path inc = tmp.newFolder("inc").toPath();
    Path all = tmp.newFolder("full").toPath();
    LakeFiles.download(s3, "lake", "inc", inc);
    LakeFiles.download(s3, "lake", "full", all);
    TreeMap<String, List<String>> want = new TreeMap<>();
    LakeFiles.content(all)
        .forEach((f, rows) -> want.put(folder(f), sorted(want.get(folder(f)), rows)));
    TreeMap<String, List<String>> have = new TreeMap<>();
    LakeFiles.content(inc)
        .forEach((f, rows) -> have.put(folder(f), sorted(have.get(folder(f)), rows)));
    assertEquals(want, have);
    assertEquals(state(all).toPrettyString(), state(inc).toPrettyString());
    assertThat(state(inc).path("files").get(0).path("token").asText(), containsString("etag:"));
  }

  @Test
  public void aLiveLockOnS3TurnsASecondRunAway() {
    upload("locked", List.of(IncrementalRunTest.BATCHES.get(0).get(1)));
    String lock =
        "{\"run_id\":\"20261201T000000Z-other1\",\"host\":\"elsewhere\",\"pid\":1,"
            + "\"started\":\"2026-12-01T00:00:00Z\",\"heartbeat\":\""
            + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            + "\"}";
    s3.putObject(b -> b.bucket("lake").key("locked/_lock.json"), RequestBody.fromString(lock));

    CliRun r = run("--input=s3://bronze/locked", "--output=s3://lake/locked", "--breakLock");
    assertEquals(r.out() + r.err(), 2, r.status());
    assertThat(r.err(), containsString("another run is writing s3://lake/locked"));
    assertThat(r.err(), containsString("run 20261201T000000Z-other1 (host elsewhere"));
    assertThat(r.err(), containsString("--breakLock removes only a lock whose run has ended"));
    assertTrue(
        "the other run's lock is left as it was",
        new String(
                s3.getObjectAsBytes(b -> b.bucket("lake").key("locked/_lock.json")).asByteArray(),
                StandardCharsets.UTF_8)
            .contains("other1"));
  }

  private static String folder(String file) {
    return file.substring(0, file.lastIndexOf('/'));
  }

  private static List<String> sorted(List<String> sofar, List<String> more) {
    List<String> out = new ArrayList<>(sofar == null ? List.of() : sofar);
    out.addAll(more);
    out.sort(null);
    return out;
  }
}
