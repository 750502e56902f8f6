package dev.trendlake.pipeline.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.pipeline.commit.RunInfo;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.quality.QualityEvaluator.PreviousRun;
import dev.trendlake.transforms.tally.CommitPlan;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The quality gate the finishing step passes before its commit: evaluates the run's rules against
 * its tallies and the previous committed run ({@code _manifests/latest.json}), and, when a {@code
 * fail} rule failed, says what of the commit plan may still be carried out: the quarantine only, so
 * a user can see why, while silver, gold and the warehouse stay as they were.
 */
public final class QualityGate implements Serializable {
  /** The manifest status of a run a quality rule rejected. */
  public static final String REJECTED = "rejected_by_quality";

  private final QualityRules rules;
  private final OutputPaths paths;

  public QualityGate(QualityRules rules, OutputPaths paths) {
    this.rules = rules;
    this.paths = paths;
  }

  /** A run rejected by a {@code fail} rule: the message names each rule, value and threshold. */
  public static final class Rejected extends IllegalStateException {
    public Rejected(QualityReport report, String manifestPath) {
      super(
          "the run was rejected by its data-quality rules, so silver, gold and the warehouse were"
              + " not changed (the quarantine and "
              + manifestPath
              + " were written):\n  "
              + report.rejecting().stream()
                  .map(QualityReport::describe)
                  .collect(Collectors.joining("\n  ")));
    }
  }

  /** Evaluates the rules on the merged tally {@code t} of the run {@code info}. */
  public QualityReport evaluate(RunTally t, RunInfo info) throws IOException {
    LocalDate today = LocalDate.ofInstant(Instant.parse(info.startedAt()), ZoneOffset.UTC);
    return QualityEvaluator.evaluate(rules, t, previousRun(), today);
  }

  /** The part of {@code plan} a rejected run still commits: its quarantine files and folders. */
  public CommitPlan quarantineOnly(CommitPlan plan) {
    String root = paths.resolve(OutputPaths.QUARANTINE) + "/";
    TreeMap<String, String> staged = new TreeMap<>();
    plan.staged()
        .forEach(
            (from, to) -> {
              if (to.startsWith(root)) {
                staged.put(from, to);
              }
            });
    TreeMap<String, String> replaced = new TreeMap<>();
    plan.replaced()
        .forEach(
            (folder, ext) -> {
              if (folder.startsWith(OutputPaths.QUARANTINE + "/")) {
                replaced.put(folder, ext);
              }
            });
    return new CommitPlan(staged, replaced);
  }

  /**
   * Gold rows per region of the run {@code latest.json} names, or null when there is none. Matched
   * before it is opened: S3 reports a missing key only on the first read, as its own exception.
   */
  PreviousRun previousRun() throws IOException {
    String latest = paths.resolve(OutputPaths.MANIFESTS + "/latest.json");
    MatchResult found = FileSystems.match(latest, EmptyMatchTreatment.ALLOW);
    if (found.status() != MatchResult.Status.OK || found.metadata().isEmpty()) {
      return null;
    }
    JsonNode m;
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(found.metadata().get(0).resourceId()))) {
      m = new ObjectMapper().readTree(in);
    }
    Map<String, Long> gold = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = m.path("regions").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      gold.put(e.getKey(), e.getValue().path("gold").asLong());
    }
    return new PreviousRun(m.path("run_id").asText("?"), gold);
  }
}
