package dev.trendlake.pipeline.commit;

import dev.trendlake.pipeline.PausePoint;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.transforms.tally.CommitPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link CommitPlan} on any Beam file system: each staged file is moved over its
 * final name, then files of the owned extension that this run did not write are removed from the
 * replaced folders (leftovers of an earlier run with more parts), and the staging folder goes. A
 * partition is never empty during the commit: the new file replaces the old one under the same
 * name. Re-running a commit after a crash is safe: moves of files already moved are skipped.
 */
public final class Committer {
  private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

  private final OutputPaths paths;

  public Committer(OutputPaths paths) {
    this.paths = paths;
  }

  /** Moves, removes stale files, removes the staging folder; returns the files moved. */
  public int commit(CommitPlan plan) throws IOException {
    return commit(plan, Set.of());
  }

  /**
   * As {@link #commit(CommitPlan)}, and removes each of {@code removeFiles} (relative to the output
   * root) that this run did not write.
   */
  public int commit(CommitPlan plan, Set<String> removeFiles) throws IOException {
    List<ResourceId> src = new ArrayList<>();
    List<ResourceId> dst = new ArrayList<>();
    Set<String> finals = new HashSet<>();
    for (Map.Entry<String, String> e : plan.staged().entrySet()) {
      src.add(FileSystems.matchNewResource(e.getKey(), false));
      dst.add(FileSystems.matchNewResource(e.getValue(), false));
      finals.add(e.getValue());
    }
    ensureLocalParents(dst);
    if (PausePoint.armed(PausePoint.COMMIT) && src.size() > 1) {
      int half = src.size() / 2;
      move(src.subList(0, half), dst.subList(0, half));
      PausePoint.reach(PausePoint.COMMIT);
    }
    move(src, dst);
    List<String> patterns = new ArrayList<>();
    for (Map.Entry<String, String> p : plan.replaced().entrySet()) {
      if (!coveredByWholeTree(p.getKey(), p.getValue(), plan)) {
        patterns.add(paths.resolve(p.getKey()) + "/*." + p.getValue());
      }
    }
    List<ResourceId> stale = new ArrayList<>();
    for (String f : removeFiles) {
      String full = paths.resolve(f);
      if (!finals.contains(full)) {
        stale.add(FileSystems.matchNewResource(full, false));
      }
    }
    // One call for all folders: object stores list them in parallel (hundreds of partitions).
    List<MatchResult> matches =
        patterns.isEmpty() ? List.of() : FileSystems.match(patterns, EmptyMatchTreatment.ALLOW);
    for (MatchResult m : matches) {
      if (m.status() != MatchResult.Status.OK) {
        continue;
      }
      for (MatchResult.Metadata md : m.metadata()) {
        if (!finals.contains(md.resourceId().toString())) {
          stale.add(md.resourceId());
        }
      }
    }
    if (!stale.isEmpty()) {
      LOG.info(
          "Removing {} file(s) this run replaces or retracts (left by earlier runs), where present",
          stale.size());
      FileSystems.delete(stale, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
    removeLocalStaging();
    LOG.info("Committed {} file(s) in {} folder(s)", src.size(), plan.replaced().size());
    return src.size();
  }

  /**
   * True when another replaced entry, {@code <tree>/**}, holds this folder: S3's match of several
   * patterns fails when two of them find the same object.
   */
  private static boolean coveredByWholeTree(String folder, String extension, CommitPlan plan) {
    for (Map.Entry<String, String> p : plan.replaced().entrySet()) {
      String tree = p.getKey();
      if (tree.endsWith("/**")
          && !tree.equals(folder)
          && p.getValue().equals(extension)
          && folder.startsWith(tree.substring(0, tree.length() - 2))) {
        return true;
      }
    }
    return false;
  }

  /** Moves; a source already moved (a commit finished after a crash) is skipped. */
  private static void move(List<ResourceId> src, List<ResourceId> dst) throws IOException {
    if (!src.isEmpty()) {
      FileSystems.rename(src, dst, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  private static void ensureLocalParents(List<ResourceId> dst) throws IOException {
    for (ResourceId d : dst) {
      String s = d.toString();
      if (StorePaths.isLocal(s)) {
        Path parent = StorePaths.local(s).getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      }
    }
  }

  /** Object stores have no folders; on a local disk the emptied staging tree is removed. */
  private void removeLocalStaging() throws IOException {
    String root = paths.stagingRoot();
    if (!StorePaths.isLocal(root)) {
      return;
    }
    Path p = StorePaths.local(root);
    if (Files.exists(p)) {
      try (Stream<Path> walk = Files.walk(p)) {
        for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(x);
        }
      }
    }
    Path parent = p.getParent();
    try (Stream<Path> s = Files.list(parent)) {
      if (s.findAny().isEmpty()) {
        Files.deleteIfExists(parent);
      }
    } catch (IOException ignored) {
      // another run may be staging beside us: leave the folder
    }
  }
}
