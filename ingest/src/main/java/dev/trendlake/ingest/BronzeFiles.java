package dev.trendlake.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Writes whole files under a bronze root, so that a reader (the pipeline, Athena, a person) never
 * sees half a file.
 *
 * <ul>
 *   <li>Local: the bytes go to a hidden temporary file in the target folder ({@code
 *       .name.<hex>.tmp}, which no bronze glob matches), which is then renamed over the target
 *       atomically.
 *   <li>Anything else ({@code s3://}): one Beam {@link FileSystems#create} channel, written and
 *       closed. Beam's S3 channel is a multipart upload (created on open, parts sent as its buffer
 *       fills, completed on close), and S3 shows the object only when the upload completes. If a
 *       write fails the channel is <em>not</em> closed, because closing would complete the upload
 *       with the parts sent so far; the incomplete upload never becomes an object (a bucket
 *       lifecycle rule should abort incomplete uploads after a day).
 * </ul>
 *
 * Writing the same relative name again replaces the file, which is what makes a re-run in the same
 * minute idempotent.
 *
 * <p>Every byte that reaches bronze passes here, through the run's {@link Redactor}: the API key
 * never lands in a file, in any form a server may echo it.
 */
public final class BronzeFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String root;
  private final boolean local;
  private final Redactor redactor;

  /**
   * {@code root}: a local folder (relative paths are made absolute) or a Beam URI such as s3://b/p;
   * {@code redactor} removes the key from every file written.
   */
  public BronzeFiles(String root, Redactor redactor) {
    this.redactor = redactor;
    this.local = isLocal(root);
    if (local) {
      String p = root.startsWith("file://") ? root.substring(7) : root;
      this.root = Paths.get(p).toAbsolutePath().normalize().toString();
    } else {
      this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }
  }

  public String root() {
    return root;
  }

  static boolean isLocal(String path) {
    return !path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || path.startsWith("file://");
  }

  /**
   * Writes {@code bytes}, without the key, to {@code <root>/<relative>} whole, replacing any
   * earlier file.
   */
  public void write(String relative, byte[] given, String mimeType) throws IOException {
    byte[] bytes = redactor.redact(given);
    if (local) {
      Path target = Paths.get(root, relative);
      Files.createDirectories(target.getParent());
      byte[] r = new byte[6];
      RANDOM.nextBytes(r);
      Path tmp =
          target.resolveSibling(
              "." + target.getFileName() + "." + HexFormat.of().formatHex(r) + ".tmp");
      try {
        Files.write(tmp, bytes);
        try {
          Files.move(
              tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      return;
    }
    ResourceId target = FileSystems.matchNewResource(root + "/" + relative, false);
    WritableByteChannel ch = FileSystems.create(target, mimeType);
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      ch.write(buf); // on failure the channel is deliberately left unclosed: see the class comment
    }
    ch.close();
  }
}
