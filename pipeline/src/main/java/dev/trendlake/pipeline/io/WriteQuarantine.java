package dev.trendlake.pipeline.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.coders.RejectedCoder;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.tally.RunTally;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes rejected records as JSON Lines, one object per record with {@code source_file, line,
 * reason, detail, raw} (the original text) and, only when that text was not valid UTF-8, {@code
 * raw_base64} with the exact bytes. Rejects of a dataset's main files get one file per source file,
 * {@code quarantine/<main kind>/<group column>=<group>/part-<hash of the source path>.jsonl}
 * (YouTube: {@code quarantine/statistics/region=us/}), so an incremental run adds the files it read
 * and replaces or removes exactly those of files read again or gone, leaving every other file's
 * rejects in place; side-input rejects go to {@code quarantine/<side kind>/part-00000.jsonl} (side
 * files are read whole every run). Records are sorted by file and line, so the files are the same
 * on every runner.
 */
public final class WriteQuarantine
    extends PTransform<PCollection<Rejected>, PCollection<RunTally>> {
  private final OutputPaths paths;
  private final Dataset dataset;

  public WriteQuarantine(OutputPaths paths, Dataset dataset) {
    this.paths = paths;
    this.dataset = dataset;
  }

  /** The quarantine file of a record, relative to the output root. */
  public static String file(Dataset dataset, Rejected r) {
    return dataset.side().kind().equals(r.kind())
        ? sideFolder(dataset) + "/" + OutputPaths.partName(0, "jsonl")
        : mainFile(dataset, r.region(), r.sourceFile());
  }

  /** The folder of the side input's rejects, relative to the output root. */
  public static String sideFolder(Dataset dataset) {
    return OutputPaths.QUARANTINE + "/" + dataset.side().kind();
  }

  /** The folder of one group's rejects of main files, relative to the output root. */
  public static String mainFolder(Dataset dataset, String group) {
    return OutputPaths.QUARANTINE
        + "/"
        + dataset.mainKind()
        + "/"
        + dataset.groupCol().name()
        + "="
        + group;
  }

  /** The quarantine file of one main file's rejects, relative to the output root. */
  public static String mainFile(Dataset dataset, String group, String sourceFile) {
    return mainFolder(dataset, group) + "/part-" + sha256(sourceFile).substring(0, 16) + ".jsonl";
  }

  private static String sha256(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes {@code records} (sorted here by file and line) as one staged JSON Lines file at {@code
   * relative}, exactly as this transform writes it, and returns the tally that stages it (the
   * continuous commit writes a file's rejects itself).
   */
  public static RunTally writeStaged(OutputPaths paths, String relative, List<Rejected> records)
      throws IOException {
    List<Rejected> all = new ArrayList<>(records);
    all.sort(Comparator.comparing(Rejected::sourceFile).thenComparingLong(Rejected::line));
    String staged = paths.staging(relative);
    try (OutputStream os =
        new BufferedOutputStream(
            Channels.newOutputStream(
                FileSystems.create(
                    FileSystems.matchNewResource(staged, false), "application/x-ndjson")),
            1 << 16)) {
      for (Rejected r : all) {
        WriteFn.writeLine(os, r);
      }
    }
    return RunTally.builder().stage(staged, paths.resolve(relative)).build();
  }

  @Override
  public PCollection<RunTally> expand(PCollection<Rejected> rejected) {
    return rejected
        .apply(
            "KeyByFile",
            WithKeys.<String, Rejected>of(r -> file(dataset, r))
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RejectedCoder.of()))
        .apply("GroupByFile", GroupByKey.create())
        .apply("WriteJsonLines", ParDo.of(new WriteFn(paths)))
        .setCoder(RunTallyCoder.of());
  }

  static final class WriteFn extends DoFn<KV<String, Iterable<Rejected>>, RunTally> {
    private static final JsonFactory JSON = new JsonFactory();
    private final OutputPaths paths;

    WriteFn(OutputPaths paths) {
      this.paths = paths;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Rejected>> file, OutputReceiver<RunTally> out)
        throws IOException {
      List<Rejected> all = new ArrayList<>();
      file.getValue().forEach(all::add);
      all.sort(Comparator.comparing(Rejected::sourceFile).thenComparingLong(Rejected::line));
      String relative = file.getKey();
      String staged = paths.staging(relative);
      try (OutputStream os =
          new BufferedOutputStream(
              Channels.newOutputStream(
                  FileSystems.create(
                      FileSystems.matchNewResource(staged, false), "application/x-ndjson")),
              1 << 16)) {
        for (Rejected r : all) {
          writeLine(os, r);
        }
      }
      out.output(RunTally.builder().stage(staged, paths.resolve(relative)).build());
    }

    static void writeLine(OutputStream os, Rejected r) throws IOException {
      JsonGenerator g = JSON.createGenerator(os, JsonEncoding.UTF8);
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeStringField("source_file", r.sourceFile());
      g.writeNumberField("line", r.line());
      g.writeStringField("reason", r.reason().code());
      g.writeStringField("detail", r.detail());
      g.writeStringField("raw", r.rawText());
      if (!validUtf8(r.raw())) {
        g.writeStringField("raw_base64", Base64.getEncoder().encodeToString(r.raw()));
      }
      g.writeEndObject();
      g.flush();
      os.write('\n');
    }
  }

  static boolean validUtf8(byte[] b) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
