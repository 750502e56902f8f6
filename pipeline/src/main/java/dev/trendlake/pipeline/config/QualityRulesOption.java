package dev.trendlake.pipeline.config;

import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.pipeline.quality.QualityRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/**
 * {@code --qualityRules}: the one option whose value is read while checking, so that a broken rules
 * file is reported with the other problems instead of at launch.
 */
final class QualityRulesOption {
  private QualityRulesOption() {}

  /**
   * The rules of {@code --qualityRules}: the jar's defaults when unset, a local file parsed now (a
   * problem per broken field), and null for an {@code s3://} file, which the launcher reads once
   * the store is configured.
   */
  static QualityRules load(String location, List<String> problems) {
    if (location == null) {
      return QualityRules.defaults();
    }
    String abs = StorePaths.absolute(location);
    if (StorePaths.isS3(abs)) {
      StoreChecks.checkUri(abs, "--qualityRules", problems);
      return null;
    }
    if (!StorePaths.isLocal(abs) || !Files.isRegularFile(StorePaths.local(abs))) {
      problems.add("--qualityRules " + location + " is not a file: name a YAML or JSON rules file");
      return null;
    }
    try {
      return QualityRules.parse(Files.readString(StorePaths.local(abs)), location);
    } catch (QualityRules.Invalid e) {
      problems.addAll(e.problems());
    } catch (IOException | UncheckedIOException e) {
      problems.add("--qualityRules " + location + " can't be read: " + e.getMessage());
    }
    return null;
  }
}
