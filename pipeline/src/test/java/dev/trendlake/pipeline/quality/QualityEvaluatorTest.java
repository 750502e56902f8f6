package dev.trendlake.pipeline.quality;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.trendlake.pipeline.quality.QualityEvaluator.PreviousRun;
import dev.trendlake.pipeline.quality.QualityReport.Result;
import dev.trendlake.pipeline.quality.QualityReport.Status;
import dev.trendlake.transforms.tally.QualityStats;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import java.time.LocalDate;
import java.util.Map;
import org.junit.Test;

/**
 * Each check on a run built by hand: a passing and a failing bound for every kind, with the value
 * the manifest would show.
 */
public class QualityEvaluatorTest {
  static final LocalDate TODAY = LocalDate.parse("2026-11-30");

  /**
   * us: two files, 100 records, 10 quarantined (all in b.csv), 5 duplicates; 85 gold rows, 17
   * unknown categories, 4 null titles, newest day 2026-11-28, 20 view steps of which 2 fell. gb:
   * one file of 10 records, 10 gold rows, newest day 2026-11-20.
   */
  static RunTally run() {
    RunTally.Builder b = RunTally.builder();
    b.file("us/a.csv", "statistics").region("us").records(50).silver(45).duplicates(5);
    b.file("us/b.csv", "statistics").region("us").records(50).silver(40).quarantined("x", 10);
    b.file("gb/c.csv", "statistics").region("gb").records(10).silver(10);
    b.file("US_category_id.json", "categories").region("us").records(9).quarantined("y", 9);
    b.region("us", new RegionTally(85, 85, 17, 10));
    b.region("gb", new RegionTally(10, 10, 0, 5));
    int nov28 = (int) LocalDate.parse("2026-11-28").toEpochDay();
    int nov20 = (int) LocalDate.parse("2026-11-20").toEpochDay();
    b.quality("us", QualityStats.ofRows(85, nov28, Map.of("title", 4L)));
    b.quality("us", QualityStats.ofSteps(20, 2));
    b.quality("gb", QualityStats.ofRows(10, nov20, Map.of()));
    return b.build();
  }

  static Result one(String yaml, PreviousRun previous) {
    QualityRules rules =
        QualityRules.parse("rules:\n  - name: r\n    severity: fail\n" + yaml, "t");
    return QualityEvaluator.evaluate(rules, run(), previous, TODAY).results().get(0);
  }

  static Result one(String yaml) {
    return one(yaml, null);
  }

  static void check(String yaml, Status expected, double value, String worst) {
    Result r = one(yaml);
    assertEquals(yaml, expected, r.status());
    assertEquals(yaml, value, r.value(), 1e-9);
    assertEquals(yaml, worst, r.worstSubject());
  }

  @Test
  public void quarantineRatioPerFileRegionAndRun() {
    String perFile = "    check: quarantine_ratio\n    per: file\n";
    check(perFile + "    max: 0.2\n", Status.PASSED, 0.2, "us/b.csv");
    check(perFile + "    max: 0.02\n", Status.FAILED, 0.2, "us/b.csv");
    check(
        "    check: quarantine_ratio\n    per: region\n    max: 0.05\n", Status.FAILED, 0.1, "us");
    // categories files are not statistics: 10 of 110 records
    check("    check: quarantine_ratio\n    max: 0.1\n", Status.PASSED, 10.0 / 110, "run");
  }

  @Test
  public void duplicateRatio() {
    check(
        "    check: duplicate_ratio\n    per: file\n    max: 0.1\n",
        Status.PASSED,
        0.1,
        "us/a.csv");
    check(
        "    check: duplicate_ratio\n    per: region\n    max: 0.01\n", Status.FAILED, 0.05, "us");
  }

  @Test
  public void unknownCategoryRatio() {
    check(
        "    check: unknown_category_ratio\n    per: region\n    max: 0.2\n",
        Status.PASSED,
        0.2,
        "us");
    check(
        "    check: unknown_category_ratio\n    per: region\n    max: 0.1\n",
        Status.FAILED,
        0.2,
        "us");
  }

  @Test
  public void volumeChangeAgainstThePreviousRun() {
    String rule = "    check: volume_change\n    per: region\n    min: -50\n";
    Result first = one(rule);
    assertEquals(Status.SKIPPED, first.status());
    assertThat(first.note(), containsString("no previous committed run"));
    // us had 100 rows (now 85: -15%), gb had 40 (now 10: -75%), fr is new
    PreviousRun before = new PreviousRun("run-1", Map.of("us", 100L, "gb", 40L));
    Result r = one(rule, before);
    assertEquals(Status.FAILED, r.status());
    assertEquals(-75, r.value(), 1e-9);
    assertEquals("gb", r.worstSubject());
    assertEquals(1, r.failedSubjects());
    assertEquals(
        Status.PASSED, one(rule, new PreviousRun("run-1", Map.of("us", 100L, "gb", 12L))).status());
    Result run = one("    check: volume_change\n    max: 0\n", before);
    assertEquals(Status.PASSED, run.status());
    assertEquals((95 - 140) * 100.0 / 140, run.value(), 1e-9);
  }

  @Test
  public void freshnessDays() {
    check("    check: freshness_days\n    per: region\n    max: 10\n", Status.PASSED, 10, "gb");
    check("    check: freshness_days\n    per: region\n    max: 3\n", Status.FAILED, 10, "gb");
    check("    check: freshness_days\n    max: 3\n", Status.PASSED, 2, "run");
  }

  @Test
  public void viewsMonotonic() {
    check("    check: views_monotonic\n    per: region\n    max: 0.1\n", Status.PASSED, 0.1, "us");
    check("    check: views_monotonic\n    max: 0\n", Status.FAILED, 0.1, "run");
  }

  @Test
  public void nullRatioOfAColumn() {
    String title = "    check: null_ratio\n    column: title\n    per: region\n";
    check(title + "    max: 0.05\n", Status.PASSED, 4.0 / 85, "us");
    check(title + "    max: 0.01\n", Status.FAILED, 4.0 / 85, "us");
    check("    check: null_ratio\n    column: likes\n    max: 0\n", Status.PASSED, 0, "run");
  }

  @Test
  public void minRows() {
    check("    check: min_rows\n    per: region\n    min: 10\n", Status.PASSED, 10, "gb");
    check("    check: min_rows\n    per: region\n    min: 50\n", Status.FAILED, 10, "gb");
    check("    check: min_rows\n    min: 95\n", Status.PASSED, 95, "run");
  }

  @Test
  public void passRateCountsRulesAndOnlyFailRulesReject() {
    QualityRules rules =
        QualityRules.parse(
            "rules:\n"
                + "  - {name: a, check: min_rows, min: 1, severity: fail}\n"
                + "  - {name: b, check: min_rows, min: 1000, severity: warn}\n"
                + "  - {name: c, check: volume_change, min: -50, severity: fail}\n",
            "t");
    QualityReport warnOnly = QualityEvaluator.evaluate(rules, run(), null, TODAY);
    assertEquals(0.5, warnOnly.passRate(), 0);
    assertFalse(warnOnly.rejects());
    assertEquals("skipped", warnOnly.toJson().path("rules").get(2).path("status").asText());
    QualityReport rejected =
        QualityEvaluator.evaluate(rules, run(), new PreviousRun("p", Map.of("us", 1000L)), TODAY);
    assertTrue(rejected.rejects());
    assertEquals(1.0 / 3, rejected.passRate(), 1e-9);
    assertEquals(
        "quality rule 'c' (volume_change per run, fail) failed: the run has -91.5, threshold >="
            + " -50",
        QualityReport.describe(rejected.rejecting().get(0)));
  }
}
