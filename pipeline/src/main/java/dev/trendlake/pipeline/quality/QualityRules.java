package dev.trendlake.pipeline.quality;

import dev.trendlake.pipeline.quality.QualityRule.Scope;
import dev.trendlake.pipeline.quality.QualityRule.Severity;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A run's data-quality rules, parsed from a rules file (YAML, or JSON, which YAML reads as well)
 * into typed {@link QualityRule}s. Every problem of a file is reported at once, each naming the
 * file, the rule and the field, so a user fixes the file in one go. The default set ships in the
 * jar ({@code default-rules.yaml} beside this class, documented in docs/quality.md) and applies
 * when a run names no file.
 *
 * @param source where the rules came from, for messages and the manifest
 */
public record QualityRules(String source, List<QualityRule> rules) implements Serializable {

  /** The source name of the rules shipped in the jar. */
  public static final String DEFAULT_SOURCE = "default rules (in the jar)";

  private static final String DEFAULT_RESOURCE = "default-rules.yaml";
  private static final Set<String> FIELDS =
      new LinkedHashSet<>(
          List.of("name", "check", "per", "column", "min", "max", "severity", "description"));

  public QualityRules {
    rules = List.copyOf(rules);
  }

  /** A rules file that can't be used: every problem, one per entry. */
  public static final class Invalid extends RuntimeException {
    private final List<String> problems;

    public Invalid(List<String> problems) {
      super(String.join("\n  ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /** True when a rule needs the per-video measure shuffle ({@link Check#VIEWS_MONOTONIC}). */
  public boolean needsMeasures() {
    return rules.stream().anyMatch(r -> r.check() == Check.VIEWS_MONOTONIC);
  }

  /** The rules that ship in the jar. */
  public static QualityRules defaults() {
    try (InputStream in = QualityRules.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_SOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads and parses the rules file at {@code location} (a local path or any URI Beam's file
   * systems know, once they are configured).
   *
   * @throws Invalid when it can't be read or parsed
   */
  public static QualityRules load(String location) {
    String text;
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(location, false)))) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new Invalid(
          List.of(
              "--qualityRules "
                  + location
                  + " can't be read: "
                  + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
    }
    return parse(text, location);
  }

  /**
   * Parses rules from {@code text}.
   *
   * @param source the file's name, used in every problem
   * @throws Invalid with every problem found
   */
  public static QualityRules parse(String text, String source) {
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (YAMLException e) {
      throw new Invalid(
          List.of(source + " is neither YAML nor JSON: " + e.getMessage().replace('\n', ' ')));
    }
    if (!(doc instanceof Map<?, ?> top) || !(top.get("rules") instanceof List<?> list)) {
      throw new Invalid(
          List.of(
              source
                  + " must hold a list under 'rules:' (rules: - name: ... check: ... severity:"
                  + " ...)"));
    }
    List<String> problems = new ArrayList<>();
    for (Object k : top.keySet()) {
      if (!"rules".equals(k)) {
        problems.add(source + ": unknown top-level field '" + k + "' (only 'rules' is read)");
      }
    }
    List<QualityRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      String where = source + ": rule #" + (i + 1);
      if (!(item instanceof Map<?, ?> m)) {
        problems.add(where + " is not a map of fields (name, check, per, max, severity, ...)");
        continue;
      }
      Object n = m.get("name");
      if (n instanceof String s && !s.isBlank()) {
        where = source + ": rule '" + s + "'";
        if (!names.add(s)) {
          problems.add(where + ": the name is used by an earlier rule; names must be unique");
        }
      }
      QualityRule r = rule(m, where, problems);
      if (r != null) {
        rules.add(r);
      }
    }
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    return new QualityRules(source, rules);
  }

  private static QualityRule rule(Map<?, ?> m, String where, List<String> problems) {
    int before = problems.size();
    for (Object k : m.keySet()) {
      if (!FIELDS.contains(String.valueOf(k))) {
        problems.add(
            where + ": unknown field '" + k + "' (fields: " + String.join(", ", FIELDS) + ")");
      }
    }
    String name = text(m, "name", where, problems, true);
    if (name != null && !name.matches("[A-Za-z0-9_.-]{1,64}")) {
      problems.add(
          where
              + ": field 'name' may hold only letters, digits, '.', '_' and '-' (it becomes a"
              + " CloudWatch dimension), got '"
              + name
              + "'");
    }
    String checkText = text(m, "check", where, problems, true);
    Check check = null;
    if (checkText != null) {
      check = Check.byId(checkText).orElse(null);
      if (check == null) {
        problems.add(
            where + ": field 'check' must be one of " + Check.ids() + ", got '" + checkText + "'");
      }
    }
    String perText = text(m, "per", where, problems, false);
    Scope per = Scope.RUN;
    if (perText != null) {
      per = enumValue(Scope.class, perText);
      if (per == null) {
        problems.add(where + ": field 'per' must be file, region or run, got '" + perText + "'");
      }
    }
    if (check != null && per != null && !check.scopes().contains(per)) {
      problems.add(
          where
              + ": field 'per': "
              + check.id()
              + " is checked per "
              + check.scopes().stream().map(Scope::id).collect(Collectors.joining(" or "))
              + ", not per "
              + per.id());
    }
    String column = text(m, "column", where, problems, false);
    if (check != null && check.needsColumn() && column == null) {
      problems.add(
          where + ": field 'column' is required by " + check.id() + " (" + columns() + ")");
    } else if (check != null && !check.needsColumn() && column != null) {
      problems.add(where + ": field 'column' is read only by null_ratio, not by " + check.id());
    } else if (column != null
        && TrendingColumns.SCHEMA.goldCols().stream().noneMatch(c -> c.name().equals(column))) {
      problems.add(
          where
              + ": field 'column' must be a gold column ("
              + columns()
              + "), got '"
              + column
              + "'");
    }
    Double min = number(m, "min", where, problems);
    Double max = number(m, "max", where, problems);
    if (min == null && max == null && !m.containsKey("min") && !m.containsKey("max")) {
      problems.add(
          where + ": needs a threshold: field 'max' (e.g. max: 0.02) or 'min' (e.g. min: 100)");
    } else if (min != null && max != null && min > max) {
      problems.add(where + ": field 'min' (" + min + ") is above field 'max' (" + max + ")");
    }
    String sevText = text(m, "severity", where, problems, true);
    Severity severity = null;
    if (sevText != null) {
      severity = enumValue(Severity.class, sevText);
      if (severity == null) {
        problems.add(where + ": field 'severity' must be warn or fail, got '" + sevText + "'");
      }
    }
    if (problems.size() > before || check == null || per == null || severity == null) {
      return null;
    }
    return new QualityRule(name, check, per, column, min, max, severity);
  }

  private static String columns() {
    return TrendingColumns.SCHEMA.goldCols().stream()
        .filter(Col::nullable)
        .map(Col::name)
        .collect(Collectors.joining(", "));
  }

  private static String text(
      Map<?, ?> m, String field, String where, List<String> problems, boolean required) {
    Object v = m.get(field);
    if (v == null) {
      if (required) {
        problems.add(where + ": field '" + field + "' is missing");
      }
      return null;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      problems.add(where + ": field '" + field + "' must be a word, got '" + v + "'");
      return null;
    }
    return s.trim();
  }

  private static Double number(Map<?, ?> m, String field, String where, List<String> problems) {
    Object v = m.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    problems.add(where + ": field '" + field + "' must be a number, got '" + v + "'");
    return null;
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
