package dev.trendlake.pipeline.continuous;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.pipeline.io.OutputPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;

/**
 * A small JSON file under {@code <output>/_manifests/}, how a continuous job and its launcher tell
 * each other something across processes ({@link DrainSignal}, {@link WatchEnded}): a file on the
 * output store reaches the job wherever it runs (this JVM, an embedded cluster, a remote
 * TaskManager), which a signal to the launching process would not. It holds one field, a sentence
 * for the person who finds it.
 */
final class OutputMarker {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final String field;

  OutputMarker(String name, String field) {
    this.name = name;
    this.field = field;
  }

  String path(String output) {
    return new OutputPaths(output, "-").resolve(OutputPaths.MANIFESTS + "/" + name);
  }

  boolean exists(String output) throws IOException {
    return find(output).isPresent();
  }

  /** The marker's whole text, if it is there. */
  Optional<String> read(String output) throws IOException {
    Optional<MatchResult.Metadata> m = find(output);
    if (m.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(m.get().resourceId()))) {
      return Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private Optional<MatchResult.Metadata> find(String output) throws IOException {
    MatchResult m = FileSystems.match(List.of(path(output)), EmptyMatchTreatment.ALLOW).get(0);
    return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty()
        ? Optional.of(m.metadata().get(0))
        : Optional.empty();
  }

  /** Writes the marker, its field saying {@code why}. */
  void write(String output, String why) throws IOException {
    try (OutputStream os =
        Channels.newOutputStream(
            FileSystems.create(
                FileSystems.matchNewResource(path(output), false), "application/json"))) {
      os.write(JSON.writeValueAsBytes(Map.of(field, why)));
      os.write('\n');
    }
  }

  void clear(String output) throws IOException {
    FileSystems.delete(
        List.of(FileSystems.matchNewResource(path(output), false)),
        MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }
}
