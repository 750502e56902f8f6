package dev.trendlake.pipeline.quality;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.trendlake.pipeline.quality.QualityRule.Scope;
import dev.trendlake.pipeline.quality.QualityRule.Severity;
import java.util.List;
import org.junit.Test;

public class QualityRulesTest {

  @Test
  public void theIssueFormParses() {
    QualityRules r =
        QualityRules.parse(
            "rules:\n"
                + "  - name: no_broken_files\n"
                + "    check: quarantine_ratio      # a comment\n"
                + "    per: file\n"
                + "    max: 0.02\n"
                + "    severity: fail\n",
            "rules.yaml");
    assertEquals(
        List.of(
            new QualityRule(
                "no_broken_files",
                Check.QUARANTINE_RATIO,
                Scope.FILE,
                null,
                null,
                0.02,
                Severity.FAIL)),
        r.rules());
    assertEquals("rules.yaml", r.source());
    assertFalse(r.needsMeasures());
  }

  @Test
  public void jsonParsesToTheSameRules() {
    QualityRules r =
        QualityRules.parse(
            "{\"rules\": [{\"name\": \"titles\", \"check\": \"null_ratio\", \"column\": \"title\","
                + " \"per\": \"region\", \"max\": 0.1, \"severity\": \"warn\"},"
                + " {\"name\": \"views\", \"check\": \"views_monotonic\", \"max\": 0,"
                + " \"severity\": \"fail\"}]}",
            "rules.json");
    assertEquals("title", r.rules().get(0).column());
    assertEquals(Scope.RUN, r.rules().get(1).per());
    assertEquals(0.0, r.rules().get(1).max(), 0);
    assertNull(r.rules().get(1).min());
    assertTrue(r.needsMeasures());
  }

  @Test
  public void theDefaultSetParsesAndHasAFailRule() {
    QualityRules d = QualityRules.defaults();
    assertEquals(QualityRules.DEFAULT_SOURCE, d.source());
    assertTrue(d.rules().stream().anyMatch(r -> r.severity() == Severity.FAIL));
  }

  /** Every broken field is named at once, with the file and the rule. */
  @Test
  public void everyProblemNamesTheFileTheRuleAndTheField() {
    QualityRules.Invalid e =
        assertThrows(
            QualityRules.Invalid.class,
            () ->
                QualityRules.parse(
                    "rules:\n"
                        + "  - name: a\n"
                        + "    check: quarantine_ratios\n"
                        + "    max: 0.1\n"
                        + "    severity: fail\n"
                        + "  - name: b\n"
                        + "    check: min_rows\n"
                        + "    per: file\n"
                        + "    min: lots\n"
                        + "    severity: sometimes\n"
                        + "  - name: c\n"
                        + "    check: null_ratio\n"
                        + "    maks: 0.1\n"
                        + "    severity: warn\n"
                        + "  - name: a\n"
                        + "    check: null_ratio\n"
                        + "    column: titel\n"
                        + "    max: 0.1\n"
                        + "    severity: warn\n",
                    "strict.yaml"));
    String m = e.getMessage();
    assertThat(m, containsString("strict.yaml: rule 'a': field 'check' must be one of"));
    assertThat(m, containsString("got 'quarantine_ratios'"));
    assertThat(
        m,
        containsString(
            "strict.yaml: rule 'b': field 'per': min_rows is checked per region or run, not per"
                + " file"));
    assertThat(m, containsString("rule 'b': field 'min' must be a number, got 'lots'"));
    assertThat(m, containsString("rule 'b': field 'severity' must be warn or fail"));
    assertThat(m, containsString("rule 'c': unknown field 'maks'"));
    assertThat(m, containsString("rule 'c': field 'column' is required by null_ratio"));
    assertThat(m, containsString("rule 'c': needs a threshold"));
    assertThat(m, containsString("rule 'a': the name is used by an earlier rule"));
    assertThat(m, containsString("rule 'a': field 'column' must be a gold column"));
    assertEquals(e.getMessage(), 9, e.problems().size());
  }

  @Test
  public void notYamlAtAllNamesTheFile() {
    QualityRules.Invalid e =
        assertThrows(
            QualityRules.Invalid.class, () -> QualityRules.parse("rules: [a, {", "bad.yaml"));
    assertThat(e.getMessage(), containsString("bad.yaml is neither YAML nor JSON"));
    QualityRules.Invalid empty =
        assertThrows(QualityRules.Invalid.class, () -> QualityRules.parse("x: 1", "x.yaml"));
    assertThat(empty.getMessage(), containsString("x.yaml must hold a list under 'rules:'"));
  }
}
