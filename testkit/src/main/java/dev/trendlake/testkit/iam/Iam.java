package dev.trendlake.testkit.iam;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small IAM policy evaluator, enough to decide the requests trendlake makes against the policies
 * terraform/ defines, with IAM's semantics: a request is allowed when an Allow statement of the
 * principal's policies or of the resource's policy matches it (one account) and no Deny statement
 * of either does, an explicit Deny wins over any Allow, and nothing matching is an implicit deny. A
 * statement matches when an action and a resource match (with {@code *} and {@code ?} wildcards)
 * and every condition holds; a condition on a key the request does not carry never holds (unless
 * its operator ends in {@code IfExists}), and an empty value never matches a string condition (as
 * the empty {@code s3:prefix} of listing a bucket's root: decided in docs/aws.md).
 */
public final class Iam {
  private Iam() {}

  /** A condition: operator ({@code StringLike}, ...), context key, values (any may match). */
  public record Condition(String test, String variable, List<String> values) {}

  /** A statement of a policy document, named {@code doc/sid} in messages. */
  public record Statement(
      boolean deny,
      String doc,
      String sid,
      List<String> actions,
      List<String> resources,
      List<Condition> conditions) {
    @Override
    public String toString() {
      return doc + "/" + sid;
    }
  }

  /** A request: the IAM action, the resource ARN (as the policies spell it), its context keys. */
  public record Request(String action, String resource, Map<String, String> context) {
    @Override
    public String toString() {
      return action + " " + resource + (context.isEmpty() ? "" : " " + context);
    }
  }

  public enum Decision {
    ALLOWED,
    IMPLICIT_DENY,
    EXPLICIT_DENY
  }

  /** The decision on {@code r} by the principal's statements and the resource's policy. */
  public static Decision decide(List<Statement> principal, List<Statement> resource, Request r) {
    boolean allowed = false;
    for (List<Statement> policy : List.of(principal, resource)) {
      for (Statement st : policy) {
        if (matches(st, r)) {
          if (st.deny()) {
            return Decision.EXPLICIT_DENY;
          }
          allowed = true;
        }
      }
    }
    return allowed ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
  }

  /** Whether an Allow statement of {@code policy} allows {@code r} (its Deny statements aside). */
  public static boolean allows(List<Statement> policy, Request r) {
    return decide(policy.stream().filter(s -> !s.deny()).toList(), List.of(), r)
        == Decision.ALLOWED;
  }

  static boolean matches(Statement st, Request r) {
    return st.actions().stream().anyMatch(a -> glob(a, r.action()))
        && st.resources().stream().anyMatch(res -> glob(res, r.resource()))
        && st.conditions().stream().allMatch(c -> holds(c, r.context().get(c.variable())));
  }

  static boolean holds(Condition c, String value) {
    String op = c.test();
    if (value == null) {
      return op.endsWith("IfExists");
    }
    String base = op.replace("IfExists", "");
    return c.values().stream()
        .anyMatch(
            p ->
                switch (base) {
                  case "StringLike", "ArnLike" -> !value.isEmpty() && glob(p, value);
                  case "StringEquals", "ArnEquals" -> !value.isEmpty() && p.equals(value);
                  case "Bool" -> p.toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT));
                  case "NumericLessThan" -> Double.parseDouble(value) < Double.parseDouble(p);
                  default -> throw new IllegalArgumentException("operator " + op + " not modelled");
                });
  }

  static boolean glob(String pattern, String value) {
    StringBuilder re = new StringBuilder();
    for (char ch : pattern.toCharArray()) {
      re.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
    }
    return value.matches(re.toString());
  }
}
