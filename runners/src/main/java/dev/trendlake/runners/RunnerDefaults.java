package dev.trendlake.runners;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Launch-time defaults per runner, added only where the user did not set the option.
 *
 * <ul>
 *   <li>DirectRunner: encodability and immutability enforcement off. They re-encode and compare
 *       every element to catch DoFn bugs in tests; a user's run should not pay for them (tests
 *       build their own TestPipeline, which keeps them on).
 *   <li>FlinkRunner: an embedded cluster ({@code [local]}) unless {@code --flinkMaster} says
 *       otherwise; object reuse and {@code fasterCopy} (no defensive copy of each element through
 *       its coder between operators, BEAM-11146), both safe because no trendlake DoFn mutates its
 *       input or keeps a reference to an element after emitting it.
 * </ul>
 */
public final class RunnerDefaults {
  private RunnerDefaults() {}

  public static String[] apply(String[] args) {
    List<String> out = new ArrayList<>(Arrays.asList(args));
    String runner = value(args, "runner");
    if (runner == null || runner.equalsIgnoreCase("DirectRunner") || runner.endsWith(".DirectRunner")) {
      addDefault(out, args, "enforceEncodability", "false");
      addDefault(out, args, "enforceImmutability", "false");
    } else if (runner.equalsIgnoreCase("FlinkRunner") || runner.endsWith(".FlinkRunner")) {
      addDefault(out, args, "flinkMaster", "[local]");
      addDefault(out, args, "objectReuse", "true");
      addDefault(out, args, "fasterCopy", "true");
    }
    return out.toArray(new String[0]);
  }

  static String value(String[] args, String name) {
    String prefix = "--" + name + "=";
    String found = null;
    for (String a : args) {
      if (a.startsWith(prefix)) {
        found = a.substring(prefix.length());
      }
    }
    return found;
  }

  private static void addDefault(List<String> out, String[] args, String name, String value) {
    if (value(args, name) == null) {
      out.add("--" + name + "=" + value);
    }
  }
}
