package dev.trendlake.runners.quality;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.runners.CliRun;
import dev.trendlake.testkit.TestWarehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The quality gate end to end, on testdata and a real PostgreSQL 17: a failed {@code fail} rule
 * leaves silver, gold, latest.json and the warehouse byte for byte as they were and exits 3 with a
 * message naming the rule, value and threshold; a failed {@code warn} rule commits and reports.
 */
public class QualityGateRunTest {
  private static TestWarehouse db;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @BeforeClass
  public static void start() throws Exception {
    db = new TestWarehouse();
  }

  @AfterClass
  public static void stop() throws Exception {
    db.close();
  }

  static CliRun run(Path output, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + TestWarehouse.bronze(),
                "--output=" + output,
                "--runner=DirectRunner",
                "--warehouse=" + db.url(),
                "--warehouseUser=postgres",
                "--warehouseSchema=gate",
                "--quiet"));
    args.addAll(List.of(extra));
    return CliRun.run(args.toArray(new String[0]));
  }

  /** Every file under silver/ and gold/ with the SHA-256 of its bytes, and latest.json's. */
  static TreeMap<String, String> bytes(Path lake) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String dir : List.of("silver", "gold", "_manifests/latest.json")) {
      try (Stream<Path> s = Files.walk(lake.resolve(dir))) {
        for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
          out.put(
              lake.relativize(f).toString(),
              HexFormat.of().formatHex(sha.digest(Files.readAllBytes(f))));
        }
      }
    }
    return out;
  }

  static String warehouse() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String t : List.of("dim_video", "dim_channel", "dim_date", "fact_video_trending")) {
      sb.append(t).append('=').append(db.digest("SELECT * FROM gate." + t)).append(' ');
    }
    return sb.toString();
  }

  Path rules(String yaml) throws IOException {
    Path f = tmp.newFile().toPath();
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  public void aFailedFailRuleChangesNothingButTheQuarantineAndExits3() throws Exception {
    Path lake = tmp.newFolder("lake").toPath();
    CliRun first = run(lake);
    assertEquals(first.err(), 0, first.status());
    // the default rules pass on testdata
    assertThat(first.out(), containsString("quality (default rules (in the jar)): "));
    JsonNode q = json(lake.resolve("_manifests/latest.json")).path("quality");
    assertEquals(q.toString(), 0, q.path("failed").asInt());
    assertEquals(1.0, q.path("pass_rate").asDouble(), 0);
    TreeMap<String, String> before = bytes(lake);
    String warehouseBefore = warehouse();
    // a quarantine file that the rejected run must replace: the gate still writes the quarantine
    Path stale = lake.resolve("quarantine/statistics/region=us/part-00099.jsonl");
    Files.writeString(stale, "{}\n");

    Path strict =
        rules(
            "rules:\n"
                + "  - name: no_broken_files\n"
                + "    check: quarantine_ratio\n"
                + "    per: file\n"
                + "    max: 0.02\n"
                + "    severity: fail\n"
                + "  - name: enough_rows\n"
                + "    check: min_rows\n"
                + "    min: 1\n"
                + "    severity: fail\n");
    // a full rerun: an incremental one would find nothing new to judge
    CliRun rejected = run(lake, "--qualityRules=" + strict, "--runId=rejected-run", "--mode=full");
    assertEquals(rejected.out() + rejected.err(), 3, rejected.status());
    assertThat(
        rejected.err(),
        containsString(
            "quality rule 'no_broken_files' (quarantine_ratio per file, fail) failed:"
                + " raw_statistics/misc/no_region.csv has 1, threshold <= 0.02 (and 3 more)"));
    assertThat(rejected.err(), not(containsString("enough_rows")));
    assertThat(rejected.err(), not(containsString("could not remove")));
    assertEquals(before, bytes(lake));
    assertEquals(warehouseBefore, warehouse());
    JsonNode m = json(lake.resolve("_manifests/rejected-run.json"));
    assertEquals("rejected_by_quality", m.path("status").asText());
    JsonNode rule = m.path("quality").path("rules").get(0);
    assertEquals("failed", rule.path("status").asText());
    assertEquals(1.0, rule.path("value").asDouble(), 0);
    assertEquals(0.02, rule.path("max").asDouble(), 0);
    assertEquals(4, rule.path("failed_subjects").asInt());
    assertEquals(0.5, m.path("quality").path("pass_rate").asDouble(), 0);
    assertTrue("quarantine written", Files.exists(lake.resolve("quarantine/statistics/region=us")));
    assertTrue("stale quarantine file replaced", Files.notExists(stale));
    assertTrue("no staging left", Files.notExists(lake.resolve("_staging/rejected-run")));
  }

  @Test
  public void aFailedWarnRuleCommitsAndReports() throws Exception {
    Path lake = tmp.newFolder("lake").toPath();
    Path warn =
        rules(
            "rules:\n"
                + "  - {name: us_is_big, check: min_rows, per: region, min: 5, severity: warn}\n");
    CliRun r = run(lake, "--qualityRules=" + warn);
    assertEquals(r.err(), 0, r.status());
    assertThat(r.out(), containsString("0 of 1 rules passed, pass rate 0%"));
    assertThat(r.out(), containsString("FAILED (warn) at ca"));
    JsonNode m = json(lake.resolve("_manifests/latest.json"));
    assertEquals("succeeded", m.path("status").asText());
    assertEquals("ca", m.path("quality").path("rules").get(0).path("worst").asText());
    assertNotEquals(0, db.count("SELECT COUNT(*) FROM gate.fact_video_trending"));
  }

  @Test
  public void aBrokenRulesFileIsAUsageErrorNamingTheRuleAndField() throws Exception {
    Path broken = rules("rules:\n  - {name: r1, check: null_ratio, max: 0.1, severity: fail}\n");
    CliRun r = run(tmp.newFolder("lake").toPath(), "--qualityRules=" + broken);
    assertEquals(2, r.status());
    assertThat(
        r.err(), containsString(broken + ": rule 'r1': field 'column' is required by null_ratio"));
  }

  static JsonNode json(Path p) throws IOException {
    return new ObjectMapper().readTree(p.toFile());
  }
}
