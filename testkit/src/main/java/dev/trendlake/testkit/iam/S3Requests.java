package dev.trendlake.testkit.iam;

import dev.trendlake.testkit.FaultyS3Proxy;
import dev.trendlake.testkit.iam.Iam.Request;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM requests behind recorded S3 calls (path-style {@code /bucket/key?query}), as S3
 * authorizes them: listing a bucket needs {@code s3:ListBucket} (with {@code s3:prefix} when the
 * call names one), a HEAD of a bucket too; reading or a HEAD of an object {@code s3:GetObject};
 * creating, uploading a part of and completing a multipart upload {@code s3:PutObject}; a copy
 * {@code s3:GetObject} on its source as well; a multi-object delete {@code s3:DeleteObject} on each
 * key its body names. Every call is made as in production, over TLS ({@code aws:SecureTransport},
 * {@code s3:TlsVersion}), which the buckets' Deny statements check.
 *
 * <p>The buckets are SSE-KMS with the data key, so S3 also calls KMS as the caller: {@code
 * kms:Decrypt} to read an object, {@code kms:GenerateDataKey} to write one, and both for a
 * multipart upload (AWS's S3 documentation on SSE-KMS permissions). Those implied requests are
 * added on the key's ARN as the policies spell it.
 */
public final class S3Requests {
  private S3Requests() {}

  private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");

  /**
   * The IAM requests of {@code calls}. {@code bucketArn} maps a bucket name of the test to its ARN
   * as the policies spell it; {@code dataKeyArn} is the KMS key of the buckets. A call this class
   * does not know is an error, so no request escapes the check.
   */
  public static List<Request> of(
      List<FaultyS3Proxy.Recorded> calls, Function<String, String> bucketArn, String dataKeyArn) {
    List<Request> out = new ArrayList<>();
    for (FaultyS3Proxy.Recorded c : calls) {
      out.addAll(of(c, bucketArn, dataKeyArn));
    }
    return out;
  }

  static List<Request> of(
      FaultyS3Proxy.Recorded call, Function<String, String> bucketArn, String dataKeyArn) {
    FaultyS3Proxy.Request r = call.request();
    String target = r.target();
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = query(q < 0 ? "" : target.substring(q + 1));
    String[] parts = path.substring(1).split("/", 2);
    String bucket = decode(parts[0]);
    String key = parts.length > 1 && !parts[1].isEmpty() ? decode(parts[1]) : null;
    String arn = bucketArn.apply(bucket);
    String method = r.method();
    List<Request> out = new ArrayList<>();
    if (key == null) {
      if (method.equals("POST") && query.containsKey("delete")) {
        Matcher m = KEY.matcher(new String(call.body(), StandardCharsets.UTF_8));
        while (m.find()) {
          out.add(tls("s3:DeleteObject", arn + "/" + xml(m.group(1)), Map.of()));
        }
      } else if (method.equals("GET") && query.containsKey("uploads")) {
        out.add(tls("s3:ListBucketMultipartUploads", arn, Map.of()));
      } else if (method.equals("GET") && query.containsKey("location")) {
        out.add(tls("s3:GetBucketLocation", arn, Map.of()));
      } else if (method.equals("GET") || method.equals("HEAD")) {
        Map<String, String> ctx = new LinkedHashMap<>();
        if (query.containsKey("prefix")) {
          ctx.put("s3:prefix", query.get("prefix"));
        }
        out.add(
            tls(
                query.containsKey("versions") ? "s3:ListBucketVersions" : "s3:ListBucket",
                arn,
                ctx));
      } else {
        throw new IllegalArgumentException(
            "an S3 bucket call not modelled: " + method + " " + target);
      }
      return out;
    }
    String object = arn + "/" + key;
    switch (method) {
      case "GET", "HEAD" -> {
        if (query.containsKey("uploadId")) {
          out.add(tls("s3:ListMultipartUploadParts", object, Map.of()));
        } else {
          out.add(tls("s3:GetObject", object, Map.of()));
          out.add(tls("kms:Decrypt", dataKeyArn, Map.of()));
        }
      }
      case "PUT", "POST" -> {
        out.add(tls("s3:PutObject", object, Map.of()));
        out.add(tls("kms:GenerateDataKey", dataKeyArn, Map.of()));
        if (query.containsKey("uploads") || query.containsKey("uploadId")) {
          out.add(tls("kms:Decrypt", dataKeyArn, Map.of()));
        }
        String source = r.header("x-amz-copy-source");
        if (source != null) {
          String s = decode(source.startsWith("/") ? source.substring(1) : source);
          String[] sp = s.split("/", 2);
          out.add(
              tls("s3:GetObject", bucketArn.apply(sp[0]) + "/" + sp[1].split("\\?")[0], Map.of()));
        }
      }
      case "DELETE" ->
          out.add(
              tls(
                  query.containsKey("uploadId") ? "s3:AbortMultipartUpload" : "s3:DeleteObject",
                  object,
                  Map.of()));
      default ->
          throw new IllegalArgumentException(
              "an S3 object call not modelled: " + method + " " + target);
    }
    return out;
  }

  /** A request made over TLS 1.3, as the AWS SDK makes it against AWS. */
  static Request tls(String action, String resource, Map<String, String> context) {
    Map<String, String> ctx = new LinkedHashMap<>(context);
    ctx.put("aws:SecureTransport", "true");
    ctx.put("s3:TlsVersion", "1.3");
    return new Request(action, resource, ctx);
  }

  /** The same request as if it had been made without TLS. */
  public static Request withoutTls(Request r) {
    Map<String, String> ctx = new LinkedHashMap<>(r.context());
    ctx.put("aws:SecureTransport", "false");
    ctx.remove("s3:TlsVersion");
    return new Request(r.action(), r.resource(), ctx);
  }

  private static Map<String, String> query(String q) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : q.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      out.put(
          decode(eq < 0 ? pair : pair.substring(0, eq)),
          eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String xml(String s) {
    return s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
  }
}
