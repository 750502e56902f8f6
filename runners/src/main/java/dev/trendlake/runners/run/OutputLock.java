package dev.trendlake.runners.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.pipeline.s3.S3StoreOptions;
import dev.trendlake.runners.s3.S3Preflight;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One writer per output: {@code <output>/_lock.json}, created only if absent (an exclusive create
 * locally; a conditional PUT, {@code If-None-Match: *}, on S3, so two writers can't both win),
 * naming its run, host and process and refreshed by a heartbeat while the run lives. A second run
 * refuses at start and says whose lock it is; a lock whose owner is gone (its process has ended on
 * this host, or its heartbeat stopped) is reported as stale, and {@code --breakLock} removes it; a
 * live lock is never broken. The lock is released when the run ends, whatever the outcome. A
 * relaunched run (same run id) finds its own lock and goes on.
 */
final class OutputLock implements AutoCloseable {
  static final String NAME = "_lock.json";

  /** A heartbeat older than this means the owner is gone. */
  static final Duration STALE_AFTER = Duration.ofMinutes(3);

  private static final Duration BEAT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The output is locked by another run; the message names it and the way on. */
  static final class Held extends RuntimeException {
    Held(String message) {
      super(message);
    }
  }

  /** Where the lock lives: a local file or an S3 object. */
  interface Store {
    /** Creates the lock if absent; false when it exists. */
    boolean create(byte[] content) throws IOException;

    void overwrite(byte[] content) throws IOException;

    /** The lock's content, or null when there is none. */
    byte[] read() throws IOException;

    void delete() throws IOException;

    String where();
  }

  private final Store store;
  private final String runId;
  private final boolean owned;
  private final ScheduledExecutorService heartbeat;

  private OutputLock(Store store, String runId, boolean owned) {
    this.store = store;
    this.runId = runId;
    this.owned = owned;
    if (owned) {
      heartbeat =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "trendlake-lock-heartbeat");
                t.setDaemon(true);
                return t;
              });
      heartbeat.scheduleAtFixedRate(
          this::beat, BEAT.toMillis(), BEAT.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      heartbeat = null;
    }
  }

  /**
   * Takes the lock of {@code output} for {@code runId}.
   *
   * @param breakLock remove a lock left by another run first (saying whose it was)
   * @param say where a broken lock is reported
   * @throws Held when another run holds it
   */
  static OutputLock acquire(
      String output, S3StoreOptions s3, String runId, boolean breakLock, java.io.PrintWriter say)
      throws IOException {
    Store store = StorePaths.isS3(output) ? s3(output, s3) : local(output);
    byte[] mine = content(runId, Instant.now());
    for (int attempt = 0; attempt < 2; attempt++) {
      if (store.create(mine)) {
        return new OutputLock(store, runId, true);
      }
      byte[] found = store.read();
      if (found == null) {
        continue; // released between our create and read: try again
      }
      JsonNode owner = JSON.readTree(found);
      if (runId.equals(owner.path("run_id").asText())) {
        // ours: either our own create, retried by the client after its answer was lost, or the
        // parent's, when this is a relaunched JVM of the same run (which then owns nothing)
        boolean self =
            owner.path("pid").asLong() == ProcessHandle.current().pid()
                && hostName().equals(owner.path("host").asText());
        return new OutputLock(store, runId, self);
      }
      String stale = staleReason(owner);
      if (breakLock && stale != null) {
        say.println(
            "trendlake: removed the lock of "
                + describe(owner)
                + ", which "
                + stale
                + " (--breakLock)");
        store.delete();
        continue;
      }
      throw new Held(
          stale == null
              ? "another run is writing "
                  + output
                  + ": "
                  + describe(owner)
                  + ". Wait for it to finish (its lock is "
                  + store.where()
                  + (breakLock
                      ? "; --breakLock removes only a lock whose run has ended, and this one's"
                          + " heartbeat is recent"
                      : "")
                  + ")."
              : "a lock on "
                  + output
                  + " was left by "
                  + describe(owner)
                  + ", which "
                  + stale
                  + ". If no run is writing "
                  + output
                  + ", run again with --breakLock to remove it.");
    }
    throw new Held("could not take the lock on " + output + " (" + store.where() + ")");
  }

  /** Why the owner of a lock looks gone, or null when it may still be running. */
  static String staleReason(JsonNode owner) {
    String host = owner.path("host").asText("");
    long pid = owner.path("pid").asLong(-1);
    if (host.equals(hostName()) && pid > 0 && ProcessHandle.of(pid).isEmpty()) {
      return "is no longer running (process " + pid + " on this host has ended)";
    }
    Instant beat = Instant.parse(owner.path("heartbeat").asText(Instant.EPOCH.toString()));
    if (beat.plus(STALE_AFTER).isBefore(Instant.now())) {
      return "has shown no sign of life since " + beat.truncatedTo(ChronoUnit.SECONDS);
    }
    return null;
  }

  static String describe(JsonNode owner) {
    return "run "
        + owner.path("run_id").asText("?")
        + " (host "
        + owner.path("host").asText("?")
        + ", process "
        + owner.path("pid").asText("?")
        + ", started "
        + owner.path("started").asText("?")
        + ")";
  }

  private void beat() {
    try {
      byte[] found = store.read();
      if (found != null && runId.equals(JSON.readTree(found).path("run_id").asText())) {
        store.overwrite(content(runId, Instant.now()));
      }
    } catch (IOException | RuntimeException e) {
      // the next beat tries again; a lock without beats is reported stale, never lost silently
    }
  }

  @Override
  public void close() {
    if (!owned) {
      return;
    }
    heartbeat.shutdownNow();
    try {
      byte[] found = store.read();
      if (found != null && runId.equals(JSON.readTree(found).path("run_id").asText())) {
        store.delete();
      }
    } catch (IOException | RuntimeException e) {
      // left behind: the next run sees it stale (heartbeat stopped) and says so
    }
  }

  private static String started;

  private static byte[] content(String runId, Instant now) {
    if (started == null) {
      started = now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
    ObjectNode n = JSON.createObjectNode();
    n.put("run_id", runId);
    n.put("host", hostName());
    n.put("pid", ProcessHandle.current().pid());
    n.put("started", started);
    n.put("heartbeat", now.truncatedTo(ChronoUnit.SECONDS).toString());
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  static Store local(String output) throws IOException {
    Path dir = StorePaths.local(output);
    Files.createDirectories(dir);
    Path lock = dir.resolve(NAME);
    return new Store() {
      @Override
      public boolean create(byte[] content) throws IOException {
        // written whole beside it, then linked to the lock's name, which fails if it exists:
        // a reader never sees a lock half written
        Path tmp = Files.createTempFile(dir, "." + NAME, ".tmp");
        try {
          Files.write(tmp, content);
          Files.createLink(lock, tmp);
          return true;
        } catch (FileAlreadyExistsException e) {
          return false;
        } finally {
          Files.deleteIfExists(tmp);
        }
      }

      @Override
      public void overwrite(byte[] content) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + NAME, ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, lock, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }

      @Override
      public byte[] read() throws IOException {
        try {
          return Files.readAllBytes(lock);
        } catch (java.nio.file.NoSuchFileException e) {
          return null;
        }
      }

      @Override
      public void delete() throws IOException {
        Files.deleteIfExists(lock);
      }

      @Override
      public String where() {
        return lock.toString();
      }
    };
  }

  static Store s3(String output, S3StoreOptions options) {
    S3Preflight.Location loc = S3Preflight.Location.of(output);
    String key = loc.key(NAME);
    return new Store() {
      @Override
      public boolean create(byte[] content) throws IOException {
        try (S3Client s3 = S3Preflight.client(options)) {
          s3.putObject(
              b ->
                  b.bucket(loc.bucket())
                      .key(key)
                      .overrideConfiguration(o -> o.putHeader("If-None-Match", "*")),
              RequestBody.fromBytes(content));
          return true;
        } catch (S3Exception e) {
          if (e.statusCode() == 412 || e.statusCode() == 409) {
            return false;
          }
          throw new IOException("could not create the lock " + where() + ": " + e.getMessage());
        } catch (SdkException e) {
          throw new IOException("could not create the lock " + where() + ": " + e.getMessage());
        }
      }

      @Override
      public void overwrite(byte[] content) throws IOException {
        try (S3Client s3 = S3Preflight.client(options)) {
          s3.putObject(b -> b.bucket(loc.bucket()).key(key), RequestBody.fromBytes(content));
        } catch (SdkException e) {
          throw new IOException(e.getMessage());
        }
      }

      @Override
      public byte[] read() throws IOException {
        try (S3Client s3 = S3Preflight.client(options)) {
          return s3.getObjectAsBytes(b -> b.bucket(loc.bucket()).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
          return null;
        } catch (SdkException e) {
          throw new IOException("could not read the lock " + where() + ": " + e.getMessage());
        }
      }

      @Override
      public void delete() throws IOException {
        try (S3Client s3 = S3Preflight.client(options)) {
          s3.deleteObject(b -> b.bucket(loc.bucket()).key(key));
        } catch (SdkException e) {
          throw new IOException(e.getMessage());
        }
      }

      @Override
      public String where() {
        return "s3://" + loc.bucket() + "/" + key;
      }
    };
  }
}
