package dev.trendlake.pipeline.config;

import dev.trendlake.pipeline.io.StorePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The store options: where bronze is read and the lake written (local folders or {@code s3://}
 * URIs), and how the S3 client talks to S3 or an S3-compatible store. These change together when
 * the stores trendlake supports change; nothing here talks to a network.
 */
final class StoreChecks {
  private StoreChecks() {}

  /** S3's smallest multipart part (except the last one). */
  static final int MIN_UPLOAD_BUFFER_BYTES = 5 << 20;

  /**
   * {@code --input} and {@code --output}: {@code input} and {@code output} are their absolute
   * forms, {@code mainFolder} the dataset's folder a bronze root holds, and a {@code watching}
   * (continuous) job may watch a bronze root that nothing has been dropped into yet.
   */
  static void checkLocations(
      GivenOptions given,
      String input,
      String output,
      String mainFolder,
      boolean watching,
      List<String> problems) {
    String inputGiven = given.value(RunOption.INPUT);
    String outputGiven = given.value(RunOption.OUTPUT);
    checkInput(input, inputGiven, mainFolder, watching, problems);
    checkOutput(output, outputGiven, problems);
    if (StorePaths.isLocal(input) && StorePaths.isLocal(output)) {
      Path in = StorePaths.local(input);
      Path out = StorePaths.local(output);
      if (out.startsWith(in) || in.startsWith(out)) {
        problems.add(
            "--output "
                + outputGiven
                + " and --input "
                + inputGiven
                + " must not contain each other");
      }
    }
  }

  private static void checkInput(
      String input, String asGiven, String mainFolder, boolean watching, List<String> problems) {
    if (StorePaths.isLocal(input)) {
      Path in = StorePaths.local(input);
      if (!Files.isDirectory(in)) {
        problems.add("--input " + asGiven + " is not a folder");
      } else if (!watching && !Files.isDirectory(in.resolve(mainFolder))) {
        problems.add(
            "--input "
                + asGiven
                + " has no "
                + mainFolder
                + "/ folder: is it a bronze root of this --dataset?");
      }
    } else {
      checkUri(input, "--input", problems);
    }
  }

  private static void checkOutput(String output, String asGiven, List<String> problems) {
    if (!StorePaths.isLocal(output)) {
      checkUri(output, "--output", problems);
      return;
    }
    Path out = StorePaths.local(output);
    if (Files.exists(out) && !Files.isDirectory(out)) {
      problems.add("--output " + asGiven + " is a file, not a folder: name a folder");
      return;
    }
    Path existing = out;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      problems.add(
          "--output "
              + asGiven
              + " can't be written: "
              + (existing == null ? "no part of it exists" : existing + " is not writable")
              + "; name a folder this user may write to");
    }
  }

  /** A location that is not local must be {@code s3://} and name a bucket. */
  static void checkUri(String uri, String option, List<String> problems) {
    if (!StorePaths.isS3(uri)) {
      problems.add(
          option + " " + uri + ": only local folders and s3://bucket/prefix are supported");
    } else if (uri.length() <= "s3://".length() || uri.substring(5).startsWith("/")) {
      problems.add(option + " " + uri + " names no bucket: use s3://bucket/prefix");
    }
  }

  /** The S3 client's settings: retries, multipart part size, path-style access, endpoint. */
  static void checkS3Client(GivenOptions given, List<String> problems) {
    if (given.has(RunOption.S3_MAX_RETRIES)) {
      Integer n = GivenOptions.integer(given.get(RunOption.S3_MAX_RETRIES));
      if (n == null || n < 0) {
        problems.add(
            "--s3MaxRetries takes a whole number, 0 or more, got '"
                + given.get(RunOption.S3_MAX_RETRIES)
                + "'");
      }
    }
    if (given.has(RunOption.S3_UPLOAD_BUFFER_SIZE_BYTES)) {
      Integer n = GivenOptions.integer(given.get(RunOption.S3_UPLOAD_BUFFER_SIZE_BYTES));
      if (n == null || n < MIN_UPLOAD_BUFFER_BYTES) {
        problems.add(
            "--s3UploadBufferSizeBytes must be at least "
                + MIN_UPLOAD_BUFFER_BYTES
                + " (5 MiB, the smallest part S3 accepts); the default is "
                + RunOption.S3_UPLOAD_BUFFER_SIZE_BYTES.defaultValue());
      }
    }
    String pathStyle = given.get(RunOption.S3_PATH_STYLE_ACCESS);
    if (pathStyle != null
        && !pathStyle.equalsIgnoreCase("true")
        && !pathStyle.equalsIgnoreCase("false")) {
      problems.add("--s3PathStyleAccess takes true or false, got '" + pathStyle + "'");
    }
    String endpoint = given.get(RunOption.ENDPOINT);
    if (endpoint != null && !endpoint.matches("https?://[^\\s/@]+(/.*)?")) {
      problems.add(
          "--endpoint takes an http:// or https:// URL without user info, e.g."
              + " http://minio.local:9000, got '"
              + endpoint.replaceAll("//[^/@]*@", "//****@")
              + "'");
    }
  }
}
