package dev.trendlake.pipeline.terraform;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code terraform fmt} would change in one file, for the rules it applies to this code
 * (hclwrite's formatter): two spaces of indentation per level, a level being a line that leaves
 * brackets open (however many), a line that closes more than it opens going back first, one space
 * before the {@code =} of an argument, the {@code =} of consecutive argument lines aligned (a blank
 * line, a comment line or a line without an argument ends the run), no tabs and no trailing spaces.
 * Heredoc bodies are left alone, as fmt does.
 */
final class TerraformFormat {
  private static final Pattern HEREDOC = Pattern.compile("<<-?([A-Z_]+)\\s*$");

  private TerraformFormat() {}

  /** One line per difference: {@code file:line: what fmt would change}. */
  static List<String> problems(String file, String text) {
    List<String> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    List<Integer> stack = new ArrayList<>();
    String heredocEnd = null;
    List<int[]> run = new ArrayList<>(); // {line index, column of '=', lead length}
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String where = file + ":" + (i + 1) + ": ";
      if (heredocEnd != null) {
        if (line.trim().equals(heredocEnd)) {
          heredocEnd = null;
        }
        continue;
      }
      if (line.contains("\t")) {
        out.add(where + "tab");
      }
      if (!line.isEmpty() && Character.isWhitespace(line.charAt(line.length() - 1))) {
        out.add(where + "trailing space");
      }
      String code = stripStringsAndComments(line);
      int net = 0;
      int heredoc = code.indexOf("<<");
      for (char ch : (heredoc >= 0 ? code.substring(0, heredoc) : code).toCharArray()) {
        net += "([{".indexOf(ch) >= 0 ? 1 : ")]}".indexOf(ch) >= 0 ? -1 : 0;
      }
      if (net < 0) {
        close(stack, -net);
      }
      int expected = 2 * stack.size();
      int actual = line.length() - line.stripLeading().length();
      if (!line.isBlank() && actual != expected) {
        out.add(where + "indented " + actual + " spaces, fmt would indent " + expected);
      }
      if (net > 0) {
        stack.add(net);
      }
      int eq = assignment(code);
      if (eq < 0 || line.isBlank()) {
        finishRun(file, lines, run, out);
      } else {
        run.add(new int[] {i, eq, code.substring(0, eq).stripTrailing().length()});
      }
      Matcher h = HEREDOC.matcher(code.isBlank() ? "" : line);
      if (h.find()) {
        heredocEnd = h.group(1);
        finishRun(file, lines, run, out);
      }
    }
    finishRun(file, lines, run, out);
    return out;
  }

  /** Closes {@code closed} brackets: whole levels first, as hclwrite's indent stack does. */
  private static void close(List<Integer> stack, int closed) {
    while (closed > 0 && !stack.isEmpty()) {
      int top = stack.size() - 1;
      if (closed >= stack.get(top)) {
        closed -= stack.remove(top);
      } else {
        stack.set(top, stack.get(top) - closed);
        closed = 0;
      }
    }
  }

  private static void finishRun(String file, String[] lines, List<int[]> run, List<String> out) {
    int width = 0;
    for (int[] r : run) {
      width = Math.max(width, r[2]);
    }
    for (int[] r : run) {
      if (r[1] != width + 1) {
        out.add(
            file
                + ":"
                + (r[0] + 1)
                + ": '=' at column "
                + (r[1] + 1)
                + ", fmt would align it at "
                + (width + 2)
                + ": "
                + lines[r[0]].trim());
      }
    }
    run.clear();
  }

  /**
   * Index of the line's argument '=' as hclwrite finds it: the first '=' token (not ==, <=, >=, !=,
   * =>), and only if what follows it closes every bracket it opens (a line that opens a multi-line
   * value is not aligned), or -1.
   */
  private static int assignment(String code) {
    for (int c = 1; c < code.length(); c++) {
      char before = code.charAt(c - 1);
      char after = c + 1 < code.length() ? code.charAt(c + 1) : ' ';
      if (code.charAt(c) == '=' && "=<>!".indexOf(before) < 0 && after != '=' && after != '>') {
        int net = 0;
        String rest = code.substring(c);
        int heredoc = rest.indexOf("<<");
        for (char ch : (heredoc >= 0 ? rest.substring(0, heredoc) : rest).toCharArray()) {
          net += "([{".indexOf(ch) >= 0 ? 1 : ")]}".indexOf(ch) >= 0 ? -1 : 0;
        }
        return net == 0 ? c : -1;
      }
    }
    return -1;
  }

  /** The line with string contents blanked (brackets in strings don't count) and comments cut. */
  static String stripStringsAndComments(String line) {
    StringBuilder b = new StringBuilder();
    boolean inString = false;
    int interpolation = 0;
    for (int c = 0; c < line.length(); c++) {
      char ch = line.charAt(c);
      if (inString) {
        if (ch == '\\') {
          b.append("  ");
          c++;
        } else if (ch == '$' && c + 1 < line.length() && line.charAt(c + 1) == '{') {
          interpolation++;
          b.append("  ");
          c++;
        } else if (ch == '}' && interpolation > 0) {
          interpolation--;
          b.append(' ');
        } else if (ch == '"' && interpolation == 0) {
          inString = false;
          b.append('"');
        } else {
          b.append(' ');
        }
        continue;
      }
      if (ch == '"') {
        inString = true;
        b.append('"');
      } else if (ch == '#' || (ch == '/' && c + 1 < line.length() && line.charAt(c + 1) == '/')) {
        break;
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }
}
