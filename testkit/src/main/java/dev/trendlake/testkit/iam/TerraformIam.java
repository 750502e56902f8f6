package dev.trendlake.testkit.iam;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.symbols.Symbol;
import dev.trendlake.testkit.iam.Iam.Condition;
import dev.trendlake.testkit.iam.Iam.Statement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The IAM of terraform/ as data, read with hcl4j (which does not evaluate Terraform, so iam.tf and
 * s3.tf keep their statements in literal locals): every role's statements (its inline document of
 * {@code local.policies} and the documents attached to it by {@code local.attachments}), and the
 * Deny statements every bucket policy carries ({@code local.insecure_transport}). Names stay as the
 * policies spell them: a bucket ARN is {@code arn:${local.partition}:s3:::<name>} and the warehouse
 * secret is {@code aws_redshiftserverless_namespace.trendlake.admin_password_secret_arn}; a test
 * binds its own names to these ({@link #bucketArn}).
 */
public final class TerraformIam {
  private final Map<String, Object> locals;

  private TerraformIam(Map<String, Object> locals) {
    this.locals = locals;
  }

  /**
   * The terraform/ folder: {@code -Dtrendlake.terraform.dir} (a deliberately broken copy, to see a
   * check fail), else the one above the working directory.
   */
  public static Path defaultDir() {
    String override = System.getProperty("trendlake.terraform.dir");
    if (override != null) {
      return Paths.get(override);
    }
    Path p = Paths.get("").toAbsolutePath();
    while (p != null
        && !(Files.isDirectory(p.resolve("terraform")) && Files.exists(p.resolve("pom.xml")))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "terraform/ not found above " + Paths.get("").toAbsolutePath());
    }
    return p.resolve("terraform");
  }

  /** Every {@code locals} block of the module's .tf files but its variable blocks. */
  public static TerraformIam load(Path dir) throws IOException {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
        String t = Files.readString(f, StandardCharsets.UTF_8);
        // variables are left out, so that a reference such as var.metrics_namespace stays a name
        if (!parse(t, f.toString()).containsKey("variable")) {
          text.append(t).append('\n');
        }
      }
    }
    Map<String, Object> tf = parse(text.toString(), dir + "/*.tf");
    Map<String, Object> locals = new LinkedHashMap<>();
    for (Map<String, Object> l : blocks(tf.get("locals"))) {
      locals.putAll(l);
    }
    return new TerraformIam(locals);
  }

  private static Map<String, Object> parse(String text, String what) throws IOException {
    try {
      return new HCLParser().parse(text, false);
    } catch (Exception e) {
      throw new IOException(what + " is not valid HCL: " + e.getMessage(), e);
    }
  }

  /** The locals of the module, as hcl4j reads them (for checks of other tables). */
  public Map<String, Object> locals() {
    return locals;
  }

  /**
   * Document => its Allow statements, from local.policies: sid => [actions, resources] or [actions,
   * resources, [test, variable, values]].
   */
  public Map<String, List<Statement>> policies() {
    Map<String, List<Statement>> out = new LinkedHashMap<>();
    map(locals.get("policies"))
        .forEach(
            (doc, statements) -> {
              List<Statement> list = new ArrayList<>();
              map(statements)
                  .forEach(
                      (sid, st) -> {
                        List<?> parts = (List<?>) st;
                        List<Condition> conditions = new ArrayList<>();
                        if (parts.size() > 2) {
                          List<?> c = (List<?>) parts.get(2);
                          conditions.add(
                              new Condition(ref(c.get(0)), ref(c.get(1)), strings(c.get(2))));
                        }
                        list.add(
                            new Statement(
                                false,
                                doc,
                                sid,
                                strings(parts.get(0)),
                                strings(parts.get(1)),
                                conditions));
                      });
              out.put(doc, list);
            });
    return out;
  }

  /** Every Allow statement of every document. */
  public List<Statement> allowStatements() {
    List<Statement> out = new ArrayList<>();
    policies().values().forEach(out::addAll);
    return out;
  }

  /**
   * A role's statements: its inline document and the documents attached to it (an attachment of
   * {@code aws_iam_policy.<doc>.arn} is the document {@code <doc>}; AWS managed policies are left
   * out).
   */
  public List<Statement> role(String role) {
    List<Statement> out = new ArrayList<>(policies().getOrDefault(role, List.of()));
    Object attached = map(locals.get("attachments")).get(role);
    if (attached != null) {
      String a = ref(attached);
      if (a.startsWith("aws_iam_policy.") && a.endsWith(".arn")) {
        out.addAll(policies().get(a.substring("aws_iam_policy.".length(), a.length() - 4)));
      }
    }
    return out;
  }

  /**
   * The Deny statements of every bucket's policy (s3.tf): {@code s3:*} on the bucket and its
   * objects when a condition of {@code local.insecure_transport} holds.
   */
  public List<Statement> bucketPolicy(String bucket) {
    String arn = bucketArn(bucket);
    List<Statement> out = new ArrayList<>();
    map(locals.get("insecure_transport"))
        .forEach(
            (sid, c) -> {
              List<String> cond = strings(c);
              out.add(
                  new Statement(
                      true,
                      "bucket_policy." + bucket,
                      sid,
                      List.of("s3:*"),
                      List.of(arn, arn + "/*"),
                      List.of(new Condition(cond.get(0), cond.get(1), List.of(cond.get(2))))));
            });
    return out;
  }

  /** A bucket's ARN (bronze, lake or artifacts) as the policies spell it. */
  public String bucketArn(String bucket) {
    String name = ref(map(locals.get("bucket_names")).get(bucket));
    return ref(locals.get("lake_arn")).replaceFirst(":::.*", ":::" + name);
  }

  /** A reference or a string as text: {@code aws_s3_bucket.lake.arn}, or the string itself. */
  public static String ref(Object o) {
    if (o instanceof Symbol s) {
      return s.getName();
    }
    return o == null ? null : String.valueOf(o);
  }

  public static List<String> strings(Object o) {
    return each(o, TerraformIam::ref);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalArgumentException("expected a block, got " + ref(o));
  }

  /** A block that may appear once (a map) or several times (a list of maps). */
  public static List<Map<String, Object>> blocks(Object o) {
    return each(o, TerraformIam::map);
  }

  /** {@code f} of each element of a list, or of the value itself when it is not a list. */
  private static <T> List<T> each(Object o, java.util.function.Function<Object, T> f) {
    List<T> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      l.forEach(x -> out.add(f.apply(x)));
    } else if (o != null) {
      out.add(f.apply(o));
    }
    return out;
  }
}
