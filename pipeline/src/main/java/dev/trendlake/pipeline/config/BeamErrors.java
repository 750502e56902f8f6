package dev.trendlake.pipeline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Beam's complaints about options, in trendlake's words: an option that doesn't exist is named,
 * with the nearest trendlake option when it looks like a typo, instead of Beam's "Class interface
 * ... missing a property named ...".
 */
public final class BeamErrors {
  private BeamErrors() {}

  private static final Pattern MISSING =
      Pattern.compile("missing a property named '([^']+)'", Pattern.CASE_INSENSITIVE);

  /**
   * Every problem in the arguments passed on to Beam: a word that is not an option, then what Beam
   * finds in the options (options it doesn't know, values it can't read).
   */
  static void check(List<String> args, List<String> problems) {
    List<String> options = new ArrayList<>();
    for (String a : args) {
      if (!a.startsWith("--")) {
        problems.add(
            "'" + a + "' is not an option: options take the form --name=value (see --help)");
      } else {
        options.add(a);
      }
    }
    if (options.isEmpty()) {
      return;
    }
    try {
      PipelineOptionsFactory.fromArgs(options.toArray(new String[0])).create();
    } catch (IllegalArgumentException | IllegalStateException e) {
      problems.add(reword(e));
    }
  }

  /** Beam's message, in trendlake's words where it names an option that doesn't exist. */
  public static String reword(RuntimeException e) {
    String m = String.valueOf(e.getMessage());
    Matcher unknown = MISSING.matcher(m);
    if (unknown.find()) {
      String name = unknown.group(1);
      String suggestion = closest(name);
      return "unknown option --"
          + name
          + (suggestion == null ? "" : " (did you mean --" + suggestion + "?)")
          + "; 'trendlake run --help' lists trendlake's options, --help=all Beam's";
    }
    return m.replace("\n", " ");
  }

  /** The trendlake option nearest to a mistyped name, or null when none is close. */
  static String closest(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : RunOption.names()) {
      int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return bestDistance <= Math.max(2, name.length() / 4) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
