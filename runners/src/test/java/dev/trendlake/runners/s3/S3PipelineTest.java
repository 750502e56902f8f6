package dev.trendlake.runners.s3;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.runners.cli.RunCommand;
import dev.trendlake.runners.run.StagingSweep;
import dev.trendlake.testkit.FaultyS3Proxy;
import dev.trendlake.testkit.S3MockServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * trendlake against a real S3-protocol server (s3mock, a child JVM): the same bronze read from S3
 * and written to S3 gives exactly the rows, counts and manifest of a local run, also when the store
 * throttles, fails and drops connections; re-runs replace what they write; a failed run leaves the
 * earlier output and no staging behind; a store that can't be used stops the run before any work
 * with one message naming the endpoint and the bucket.
 */
public class S3PipelineTest {
  @ClassRule public static final S3MockServer SERVER = new S3MockServer();
  @ClassRule public static final TemporaryFolder SHARED = new TemporaryFolder();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static final String KEY = "AKIDTRENDLAKETEST";
  static final String SECRET = "trendlake-test-secret-never-print";
  static final String RUN = "cmp-run";
  static final Path BRONZE = Paths.get("..", "testdata", "bronze").toAbsolutePath().normalize();

  static S3Client s3;
  static Path local;

  @BeforeClass
  public static void setUp() throws IOException {
    s3 = SERVER.client(KEY, SECRET);
    s3.createBucket(b -> b.bucket("bronze"));
    s3.createBucket(b -> b.bucket("lake"));
    LakeFiles.upload(s3, BRONZE, "bronze", "youtube");
    local = SHARED.newFolder("local").toPath();
    Result r =
        run(null, "--input=" + BRONZE, "--output=" + local, "--runId=" + RUN, "--warehouse=none");
    assertEquals(r.all(), 0, r.status);
  }

  @AfterClass
  public static void tearDown() {
    if (s3 != null) {
      s3.close();
    }
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  record Result(int status, String out, String err) {
    String all() {
      return out + "\n" + err;
    }
  }

  /** Runs {@code trendlake run} in this JVM; {@code endpoint} null means a local-only run. */
  static Result run(String endpoint, String... args) {
    List<String> a = new ArrayList<>(Arrays.asList(args));
    a.add("--enforceEncodability=false");
    a.add("--enforceImmutability=false");
    if (endpoint != null) {
      a.add("--endpoint=" + endpoint);
      a.add("--awsRegion=us-east-1");
      a.add("--s3PathStyleAccess=true");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        RunCommand.run(
            a.toArray(new String[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    Result r =
        new Result(
            status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    assertThat("a secret reached the output", r.all(), not(containsString(SECRET)));
    return r;
  }

  /** The S3 lake under {@code s3://lake/<prefix>} must equal the local run, row for row. */
  private void assertSameAsLocal(String prefix, String runId) throws IOException {
    Path got = tmp.newFolder().toPath();
    LakeFiles.download(s3, "lake", prefix, got);
    TreeMap<String, List<String>> want = LakeFiles.content(local);
    TreeMap<String, List<String>> have = LakeFiles.content(got);
    assertEquals(want.keySet(), have.keySet());
    assertThat(want.keySet(), hasItem(containsString("gold/trending/region=us/")));
    assertThat(want.keySet(), hasItem(containsString("silver/statistics/")));
    assertThat(want.keySet(), hasItem(containsString("silver/categories/")));
    assertThat(want.keySet(), hasItem(containsString("quarantine/")));
    for (String f : want.keySet()) {
      assertEquals(f, want.get(f), have.get(f));
    }
    JsonNode wantManifest =
        LakeFiles.JSON.readTree(local.resolve("_manifests/" + RUN + ".json").toFile());
    Path manifest = got.resolve("_manifests/" + runId + ".json");
    JsonNode haveManifest = LakeFiles.JSON.readTree(manifest.toFile());
    assertEquals("succeeded", haveManifest.path("status").asText());
    assertEquals(wantManifest.path("totals"), haveManifest.path("totals"));
    assertEquals(wantManifest.path("regions"), haveManifest.path("regions"));
    assertEquals(withoutTokens(wantManifest), withoutTokens(haveManifest));
    assertEquals(
        wantManifest.path("outputs").path("files_written"),
        haveManifest.path("outputs").path("files_written"));
    assertEquals(
        runId,
        LakeFiles.JSON
            .readTree(got.resolve("_manifests/latest.json").toFile())
            .path("run_id")
            .asText());
    long goldRows = 0;
    for (String f : have.keySet()) {
      if (f.startsWith("gold/")) {
        goldRows += have.get(f).size();
      }
    }
    assertThat(goldRows, greaterThan(0L));
    assertEquals(haveManifest.path("totals").path("gold").asLong(), goldRows);
    assertThat(Files.readString(manifest), not(containsString(SECRET)));
  }

  /** Each file's entry without its change token: the ETag on S3, the modification time locally. */
  private static JsonNode withoutTokens(JsonNode manifest) {
    com.fasterxml.jackson.databind.node.ArrayNode files = manifest.path("files").deepCopy();
    files.forEach(f -> ((com.fasterxml.jackson.databind.node.ObjectNode) f).remove("token"));
    return files;
  }

  private static void assertNoStaging(String prefix) {
    assertThat(LakeFiles.keys(s3, "lake", prefix + "/_staging"), empty());
    assertThat(
        s3.listMultipartUploads(b -> b.bucket("lake").prefix(prefix + "/")).uploads().stream()
            .map(u -> u.key())
            .toList(),
        empty());
  }

  /**
   * One scenario, so the slow part (whole runs) happens only three times: a clean S3 run, a re-run
   * of the same output through a store that throttles, fails and drops connections, and a run that
   * fails midway.
   */
  @Test
  public void s3RunsMatchTheLocalRunRideOutFaultsReplaceWhatTheyWriteAndFailCleanly()
      throws IOException {
    String endpoint = SERVER.endpoint().toString();
    String someGold =
        LakeFiles.files(local).stream()
            .filter(f -> f.startsWith("gold/"))
            .findFirst()
            .orElseThrow();
    String stale = someGold.substring(0, someGold.lastIndexOf('/')) + "/part-00009.parquet";
    String untouched = "gold/trending/region=zz/trending_date=2000-01-01/part-00000.parquet";
    s3.putObject(b -> b.bucket("lake").key("e2e/" + stale), RequestBody.fromString("old"));
    s3.putObject(b -> b.bucket("lake").key("e2e/" + untouched), RequestBody.fromString("old"));

    // 1. A clean run from s3:// to s3:// gives the local run's rows, counts and manifest.
    Result r =
        run(endpoint, "--input=s3://bronze/youtube", "--output=s3://lake/e2e", "--runId=" + RUN);
    assertEquals(r.all(), 0, r.status);
    assertThat(r.out, containsString("s3://lake/e2e/_manifests/" + RUN + ".json"));
    List<String> keys = LakeFiles.keys(s3, "lake", "e2e");
    assertThat("a replaced partition keeps no file of an earlier run", keys, not(hasItem(stale)));
    assertThat(
        "a first run is a full one: a partition it does not write is removed",
        keys,
        not(hasItem(untouched)));
    assertNoStaging("e2e");
    assertSameAsLocal("e2e", RUN);

    // 2. A re-run over the same output while the store throttles (503 SlowDown), fails (500) and
    //    drops connections: the same output, every file replaced in place, nothing left staged.
    try (FaultyS3Proxy proxy =
        new FaultyS3Proxy(SERVER.port(), FaultyS3Proxy.random(7, 0.10, 0.07, 0.05))) {
      Result again =
          run(
              "http://127.0.0.1:" + proxy.port(),
              "--input=s3://bronze/youtube",
              "--output=s3://lake/e2e",
              "--runId=rerun",
              "--mode=full");
      assertEquals(again.all(), 0, again.status);
      assertThat(proxy.count(FaultyS3Proxy.Fault.SLOW_DOWN), greaterThan(0));
      assertThat(proxy.count(FaultyS3Proxy.Fault.INTERNAL_ERROR), greaterThan(0));
      assertThat(proxy.count(FaultyS3Proxy.Fault.DROP), greaterThan(0));
      System.out.printf(
          "fault proxy: %d requests, %d SlowDown, %d InternalError, %d dropped%n",
          proxy.requests(),
          proxy.count(FaultyS3Proxy.Fault.SLOW_DOWN),
          proxy.count(FaultyS3Proxy.Fault.INTERNAL_ERROR),
          proxy.count(FaultyS3Proxy.Fault.DROP));
    }
    assertNoStaging("e2e");
    assertSameAsLocal("e2e", "rerun");
    List<String> after = LakeFiles.keys(s3, "lake", "e2e");
    assertEquals(
        keys.stream().filter(k -> !k.startsWith("_manifests/")).toList(),
        after.stream().filter(k -> !k.startsWith("_manifests/")).toList());
    assertThat(after, hasItem("_manifests/" + RUN + ".json"));
    assertThat(after, hasItem("_manifests/rerun.json"));

    // 3. A run that fails midway (gold writes fail for good) commits nothing, removes what it
    //    staged, and says why in one message naming the endpoint and the bucket.
    TreeMap<String, String> before = etags("e2e");
    try (FaultyS3Proxy proxy =
        new FaultyS3Proxy(
            SERVER.port(),
            req ->
                req.method().equals("PUT")
                        && req.target().contains("/_staging/")
                        && req.target().contains("/gold/")
                    ? FaultyS3Proxy.Fault.INTERNAL_ERROR
                    : FaultyS3Proxy.Fault.NONE)) {
      String at = "http://127.0.0.1:" + proxy.port();
      Result failed =
          run(
              at,
              "--input=s3://bronze/youtube",
              "--output=s3://lake/e2e",
              "--runId=doomed",
              "--mode=full",
              "--s3MaxRetries=1");
      assertEquals(failed.all(), 1, failed.status);
      assertThat(
          failed.err, containsString("the run failed: the store answered 500 InternalError"));
      assertThat(failed.err, containsString(at));
      assertThat(failed.err, containsString("'lake'"));
      assertThat(failed.err, containsString("Nothing was committed to s3://lake/e2e"));
      assertThat(failed.err, containsString("Staging: removed"));
      assertThat(proxy.count(FaultyS3Proxy.Fault.INTERNAL_ERROR), greaterThan(0));
    }
    assertNoStaging("e2e");
    assertEquals("the earlier output is untouched", before, etags("e2e"));
    Path latest = tmp.newFile("latest.json").toPath();
    Files.write(
        latest,
        s3.getObjectAsBytes(b -> b.bucket("lake").key("e2e/_manifests/latest.json")).asByteArray());
    assertEquals("rerun", LakeFiles.JSON.readTree(latest.toFile()).path("run_id").asText());
  }

  private static TreeMap<String, String> etags(String prefix) {
    TreeMap<String, String> out = new TreeMap<>();
    s3.listObjectsV2Paginator(b -> b.bucket("lake").prefix(prefix + "/"))
        .contents()
        .forEach(o -> out.put(o.key().substring(prefix.length() + 1), o.eTag()));
    return out;
  }

  @Test
  public void aMissingBucketStopsTheRunBeforeAnyWork() {
    String endpoint = SERVER.endpoint().toString();
    Result in =
        run(
            endpoint,
            "--input=s3://no-such-bronze/youtube",
            "--output=s3://lake/missing",
            "--runId=m1");
    assertEquals(in.all(), 2, in.status);
    assertThat(in.err, containsString("bucket 'no-such-bronze' does not exist at " + endpoint));
    Result out =
        run(endpoint, "--input=s3://bronze/youtube", "--output=s3://no-such-lake/x", "--runId=m2");
    assertEquals(out.all(), 2, out.status);
    assertThat(out.err, containsString("bucket 'no-such-lake' does not exist at " + endpoint));
    Result notBronze =
        run(
            endpoint,
            "--input=s3://bronze/nothing-here",
            "--output=s3://lake/missing",
            "--runId=m3");
    assertEquals(notBronze.all(), 2, notBronze.status);
    assertThat(
        notBronze.err,
        containsString("--input s3://bronze/nothing-here has no raw_statistics/ objects"));
    assertThat(LakeFiles.keys(s3, "lake", "missing"), empty());
  }

  @Test
  public void wrongCredentialsStopTheRunBeforeAnyWork() throws IOException {
    // s3mock accepts any credentials, so the proxy answers like S3 does for a key it never issued.
    try (FaultyS3Proxy proxy = new FaultyS3Proxy(SERVER.port(), FaultyS3Proxy.onlyKey(KEY))) {
      String at = "http://127.0.0.1:" + proxy.port();
      Result r =
          run(
              at,
              "--input=s3://bronze/youtube",
              "--output=s3://lake/creds",
              "--runId=c1",
              "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"ac"
                  + "cessKeyId\":\"AKIDWRONG\","
                  + "\"secretAccessKey\":\"wrong-secret-never-print\"}");
      assertEquals(r.all(), 2, r.status);
      assertThat(r.err, containsString("the S3 store can't be used, so the run did not start"));
      assertThat(r.err, containsString("InvalidAccessKeyId"));
      assertThat(r.err, containsString("bucket 'bronze' at " + at));
      assertThat(r.all(), not(containsString("wrong-secret-never-print")));
      assertThat(
          "stops after the first request (and its retries)",
          proxy.requests(),
          org.hamcrest.Matchers.lessThan(5));
    }
    assertThat(LakeFiles.keys(s3, "lake", "creds"), empty());
  }

  @Test
  public void anUnreachableStoreIsOneMessageNamingEndpointAndBucket() throws IOException {
    String dead = "http://127.0.0.1:" + S3MockServer.freePort();
    Result r = run(dead, "--input=s3://bronze/youtube", "--output=s3://lake/dead", "--runId=d1");
    assertEquals(r.all(), 2, r.status);
    assertThat(
        r.err, containsString("cannot reach the S3 store at " + dead + " (bucket 'bronze')"));
    assertTrue(r.err, r.err.lines().count() <= 3);
  }

  /** Staging of runs that died (objects and unfinished uploads) goes; a run's own stays. */
  @Test
  public void aNewRunSweepsStagingLeftByDeadRunsButNotItsOwn() {
    s3.putObject(
        b -> b.bucket("lake").key("sweep/_staging/dead/gold/x.parquet"),
        RequestBody.fromString("x"));
    s3.putObject(
        b -> b.bucket("lake").key("sweep/_staging/own/gold/y.parquet"),
        RequestBody.fromString("y"));
    s3.createMultipartUpload(b -> b.bucket("lake").key("sweep/_staging/dead2/z.parquet"));
    S3StoreOptions o =
        dev.trendlake.runners.run.BeamOptions.create(
                RunCommand.parse(
                    "--input=" + BRONZE,
                    "--output=s3://lake/sweep",
                    "--endpoint=" + SERVER.endpoint(),
                    "--awsRegion=us-east-1",
                    "--s3PathStyleAccess=true",
                    "--runner=DirectRunner"))
            .as(S3StoreOptions.class);
    assertEquals(
        "younger than the age that stands in for liveness: kept",
        "",
        StagingSweep.sweepOthers("s3://lake/sweep", "own", o, StagingSweep.S3_MIN_AGE));
    String swept = StagingSweep.sweepOthers("s3://lake/sweep", "own", o, Duration.ZERO);
    assertThat(swept, containsString("removed 1 staged object(s) and 0 unfinished upload(s)"));
    assertThat(swept, containsString("removed 0 staged object(s) and 1 unfinished upload(s)"));
    assertEquals(List.of("_staging/own/gold/y.parquet"), LakeFiles.keys(s3, "lake", "sweep"));
    assertThat(s3.listMultipartUploads(b -> b.bucket("lake").prefix("sweep/")).uploads(), empty());
  }
}
