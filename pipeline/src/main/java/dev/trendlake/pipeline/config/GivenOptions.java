package dev.trendlake.pipeline.config;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The option values a user set, trimmed, and how a single value is read: its default when unset, a
 * switch, a whole number, one of two words. Each reader adds a problem naming the option and the
 * form it takes, so every check says so in the same words.
 */
final class GivenOptions {
  private final Map<RunOption, String> given = new EnumMap<>(RunOption.class);

  /** The values that are set (null means unset), trimmed. */
  GivenOptions(Map<RunOption, String> values) {
    values.forEach(
        (k, v) -> {
          if (v != null) {
            given.put(k, v.trim());
          }
        });
  }

  /** The values the user set, by option (defaults not included). */
  Map<RunOption, String> asMap() {
    return given;
  }

  /** The value the user set, or null. */
  String get(RunOption o) {
    return given.get(o);
  }

  boolean has(RunOption o) {
    return given.containsKey(o);
  }

  /** The value the user set, or the option's default. */
  String value(RunOption o) {
    return given.getOrDefault(o, o.defaultValue());
  }

  /** A {@code true|false} option (any case); a problem, and false, for anything else. */
  boolean bool(RunOption o, List<String> problems) {
    String v = value(o);
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      problems.add(o.flag() + " takes true or false, got '" + v + "'");
    }
    return v.equalsIgnoreCase("true");
  }

  /**
   * A positive whole number, {@code what} naming its unit; for anything else a problem, and the
   * smallest valid number so the other checks can go on.
   */
  int positive(RunOption o, String what, List<String> problems) {
    String v = value(o);
    Integer n = integer(v);
    if (n == null || n <= 0) {
      problems.add(o.flag() + " takes " + what + " greater than 0, got '" + v + "'");
      return 1;
    }
    return n;
  }

  /**
   * An option that is one of two words, in lower case whatever case it was given in; a problem for
   * any other word (the value is returned as it is, lower-cased).
   */
  String oneOf(RunOption o, String first, String second, List<String> problems) {
    String v = value(o).toLowerCase(Locale.ROOT);
    if (!v.equals(first) && !v.equals(second)) {
      problems.add(o.flag() + " must be " + first + " or " + second + ", got '" + v + "'");
    }
    return v;
  }

  /** {@code v} as a whole number, or null when it is unset or not one. */
  static Integer integer(String v) {
    try {
      return v == null ? null : Integer.valueOf(v.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
