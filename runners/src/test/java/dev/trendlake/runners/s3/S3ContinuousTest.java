package dev.trendlake.runners.s3;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.runners.CliRun;
import dev.trendlake.runners.IncrementalRunTest;
import dev.trendlake.testkit.S3MockServer;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code trendlake run --continuous} with {@code s3://} in and out (s3mock): started on a bronze
 * prefix with nothing in it yet, the watcher lists bronze with its own paged listing and ETags,
 * reads the lake's state and the stop marker on the store, and bronze uploaded in three waves while
 * the job runs gives the lake of one batch run.
 */
public class S3ContinuousTest {
  @ClassRule public static final S3MockServer SERVER = new S3MockServer();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static final Path BRONZE = Paths.get("..", "testdata", "bronze").toAbsolutePath().normalize();

  static S3Client s3;

  @BeforeClass
  public static void setUp() {
    s3 = SERVER.client(S3IncrementalTest.KEY, S3IncrementalTest.SECRET);
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

  @Test
  public void wavesUploadedWhileTheJobRunsGiveTheLakeOfOneBatchRun() throws Exception {
    List<List<String>> b = IncrementalRunTest.BATCHES;
    List<List<String>> waves =
        List.of(
            join(b.get(0), b.get(1)),
            join(b.get(2), b.get(3)),
            join(b.get(4), List.of(IncrementalRunTest.LATE)));
    CompletableFuture<CliRun> job = new CompletableFuture<>();
    Thread t =
        new Thread(
            () ->
                job.complete(
                    run(
                        "--continuous",
                        "--runId=cont-s3",
                        "--watchInterval=PT1S",
                        "--commitDelay=PT1S",
                        "--stopWhenIdle=PT3S",
                        "--input=s3://bronze/cont",
                        "--output=s3://lake/cont")),
            "continuous-s3");
    t.setDaemon(true);
    t.start();
    // bronze is empty when the job starts (its lock is taken after the checks): it waits for files
    awaitLock(job, "cont");
    for (List<String> wave : waves) {
      for (String f : wave) {
        RequestBody body =
            f.equals(IncrementalRunTest.LATE)
                ? RequestBody.fromString(IncrementalRunTest.LATE_CSV)
                : RequestBody.fromFile(BRONZE.resolve(f));
        s3.putObject(r -> r.bucket("bronze").key("cont/" + f), body);
      }
      awaitCommitted(job, "cont", new TreeSet<>(wave));
    }
    CliRun r = job.get(240, TimeUnit.SECONDS);
    assertEquals(r.out() + r.err(), 0, r.status());
    assertThat(r.out(), containsString("watches s3://bronze/cont"));

    CliRun batch = run("--input=s3://bronze/cont", "--output=s3://lake/batch");
    assertEquals(batch.out() + batch.err(), 0, batch.status());
    Path cont = tmp.newFolder("cont").toPath();
    Path all = tmp.newFolder("batch").toPath();
    LakeFiles.download(s3, "lake", "cont", cont);
    LakeFiles.download(s3, "lake", "batch", all);
    assertEquals(byFolder(all), byFolder(cont));
    assertEquals(state(all).toPrettyString(), state(cont).toPrettyString());
    assertThat(state(cont).path("files").get(0).path("token").asText(), containsString("etag:"));
  }

  /** Waits until the run holds the output's lock, so it has passed its start-up checks. */
  private static void awaitLock(CompletableFuture<CliRun> job, String prefix) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!LakeFiles.keys(s3, "lake", prefix).contains("_lock.json")) {
      if (job.isDone()) {
        CliRun r = job.get();
        throw new AssertionError("the continuous run ended early:\n" + r.out() + r.err());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the continuous run took no lock in time");
      }
      Thread.sleep(100);
    }
  }

  /** Waits until the lake's state on S3 holds every file of {@code files}. */
  private static void awaitCommitted(
      CompletableFuture<CliRun> job, String prefix, Set<String> files) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    Set<String> have = new TreeSet<>();
    while (System.nanoTime() < deadline) {
      if (job.isDone()) {
        CliRun r = job.get();
        throw new AssertionError("the continuous run ended early:\n" + r.out() + r.err());
      }
      have = new TreeSet<>();
      try {
        JsonNode m =
            LakeFiles.JSON.readTree(
                s3.getObjectAsBytes(x -> x.bucket("lake").key(prefix + "/_manifests/latest.json"))
                    .asByteArray());
        for (JsonNode f : m.path("files")) {
          have.add(f.path("path").asText());
        }
      } catch (NoSuchKeyException e) {
        // nothing committed yet
      } catch (IOException e) {
        // s3mock serves an object being replaced as it is written (S3 itself would not): next poll
      }
      if (have.containsAll(files)) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("not committed in time: wanted " + files + ", the lake has " + have);
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

  /** Every row of the lake's data files, sorted, by folder (the file names differ per run). */
  private static TreeMap<String, List<String>> byFolder(Path lake) throws IOException {
    TreeMap<String, List<String>> out = new TreeMap<>();
    LakeFiles.content(lake)
        .forEach(
            (f, rows) -> {
              List<String> all =
                  new ArrayList<>(out.getOrDefault(f.substring(0, f.lastIndexOf('/')), List.of()));
              all.addAll(rows);
              all.sort(null);
              out.put(f.substring(0, f.lastIndexOf('/')), all);
            });
    return out;
  }

  private static List<String> join(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
