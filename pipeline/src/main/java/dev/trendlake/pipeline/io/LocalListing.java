package dev.trendlake.pipeline.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every entry under one folder of a local bronze root, each either listed to be read or skipped
 * with its reason: nothing under the folder vanishes without a word.
 *
 * <p>Read: regular files whose name ends with the extension in any case ({@code .csv}, {@code
 * .CSV}), with any name the JVM can open (spaces, newlines, any script). Skipped, with a reason
 * that names what to fix: other names, folders and files this user can't read, FIFOs, sockets and
 * devices (opening a FIFO would block the run), and names that can't be opened through Beam's file
 * system because they don't decode in the JVM's file-name encoding (invalid UTF-8, or any non-ASCII
 * name under a C/POSIX locale).
 *
 * <p><b>Link policy.</b> A file or folder is read under its own path. A symbolic link is followed
 * only when what it points at lies inside the bronze root and is not read anyway under its own path
 * or through an earlier link (links are taken in name order), so every real file is read at most
 * once and a link loop ({@code loop -> .}) ends at once. Links to outside the root, dangling links
 * and link cycles are skipped. A followed link's files keep the link's path (their region comes
 * from it). The root and the listed folder themselves may be links anywhere: they are what the user
 * named.
 */
public final class LocalListing {
  private LocalListing() {}

  /** A file to read: its path as listed (under the root, links not resolved), size and time. */
  public record Found(Path path, long size, long lastModifiedMillis) {}

  /**
   * @param files to read, in walk order
   * @param skipped path relative to the root to the reason it was not read
   */
  public record Result(List<Found> files, SortedMap<String, String> skipped) {}

  /**
   * Lists {@code <root>/<folder>} for files ending in {@code .<extension>}; a missing folder lists
   * nothing.
   */
  public static Result list(Path root, String folder, String extension) throws IOException {
    Path start = root.resolve(folder);
    if (!Files.exists(start)) {
      SortedMap<String, String> none = new TreeMap<>();
      if (Files.isSymbolicLink(start)) {
        none.put(folder, "a link to nothing: the folder does not exist, so nothing in it was read");
      }
      return new Result(List.of(), none);
    }
    Walk w =
        new Walk(
            root,
            List.of(root.toRealPath(), start.toRealPath()),
            "." + extension.toLowerCase(Locale.ROOT));
    BasicFileAttributes a = w.attributes(start);
    if (a != null) {
      w.visitTarget(start, a);
    }
    // Links wait until everything reachable without them is known, so a file is read under its own
    // path rather than a link's; a followed folder may hold more links, so repeat until none new.
    while (!w.links.isEmpty()) {
      List<Path> links = new ArrayList<>(w.links);
      w.links.clear();
      links.sort(null);
      for (Path link : links) {
        w.follow(link);
      }
    }
    return new Result(w.files, w.skipped);
  }

  private static final class Walk {
    final Path root;
    final List<Path> realRoots;
    final String suffix;
    final List<Found> files = new ArrayList<>();
    final SortedMap<String, String> skipped = new TreeMap<>();
    // folders and files reached so far, by identity (device and inode), so each is read once
    final Set<Object> seen = new HashSet<>();
    final Deque<Path> links = new ArrayDeque<>();

    Walk(Path root, List<Path> realRoots, String suffix) {
      this.root = root;
      this.realRoots = realRoots;
      this.suffix = suffix;
    }

    String rel(Path p) {
      return root.relativize(p).toString();
    }

    void skip(Path p, String reason) {
      skipped.put(rel(p), reason);
    }

    /** Visits {@code p} as what it is, links left for later. */
    void visit(Path p) throws IOException {
      BasicFileAttributes a = attributes(p, LinkOption.NOFOLLOW_LINKS);
      if (a == null) {
        return;
      }
      if (a.isSymbolicLink()) {
        links.add(p);
      } else {
        visitTarget(p, a);
      }
    }

    /** {@code p} (or what it links to, whose attributes {@code a} are), to walk or read. */
    void visitTarget(Path p, BasicFileAttributes a) throws IOException {
      if (a.isDirectory()) {
        if (seen.add(identity(p, a))) {
          walkDir(p);
        }
      } else if (a.isRegularFile()) {
        file(p, a);
      } else {
        skip(p, "not a regular file (" + kind(p) + "): not read");
      }
    }

    void walkDir(Path dir) throws IOException {
      if (!undecodable(dir, "folder")) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
          ds.forEach(entries::add);
        } catch (AccessDeniedException e) {
          skip(
              dir,
              "a folder this user can't read (permission denied): nothing in it was read; give"
                  + " the user running trendlake read and execute access to it");
          return;
        }
        entries.sort(null);
        for (Path e : entries) {
          visit(e);
        }
      }
    }

    void file(Path p, BasicFileAttributes a) throws IOException {
      String name = p.getFileName().toString();
      if (!name.toLowerCase(Locale.ROOT).endsWith(suffix)) {
        skip(p, "not a " + suffix + " file: not read");
      } else if (undecodable(p, "file")) {
        return;
      } else if (!Files.isReadable(p)) {
        skip(
            p,
            "a file this user can't read (permission denied): not read; give the user running"
                + " trendlake read access to it, then run again");
      } else if (seen.add(identity(p, a))) {
        files.add(new Found(p, a.size(), a.lastModifiedTime().toMillis()));
      } else {
        skip(p, "the same file as one read under another path: read once");
      }
    }

    /** Follows a link when the policy allows, else says why not. */
    void follow(Path link) throws IOException {
      Path real;
      try {
        real = link.toRealPath();
      } catch (NoSuchFileException e) {
        skip(link, "a link to nothing (" + target(link) + " does not exist): not read");
        return;
      } catch (FileSystemException e) {
        skip(link, "a link that can't be resolved (" + reason(e) + "): not read");
        return;
      }
      if (realRoots.stream().noneMatch(real::startsWith)) {
        skip(
            link,
            "a link to "
                + real
                + ", outside the bronze root: not followed (links are followed only inside the"
                + " root); copy or move the data under the root to read it");
        return;
      }
      BasicFileAttributes a = attributes(real);
      if (a == null) {
        return;
      }
      boolean seenBefore = seen.contains(identity(real, a));
      if (a.isDirectory() && seenBefore) {
        skip(
            link,
            "a link to the folder "
                + shown(real)
                + ", which is read under its own path: not followed again");
      } else if (a.isRegularFile() && seenBefore) {
        skip(
            link,
            "a link to the file "
                + shown(real)
                + ", which is read under its own path: not read twice");
      } else {
        visitTarget(link, a);
      }
    }

    /** A real path inside the root as a path relative to it, else whole. */
    String shown(Path real) {
      Path r = realRoots.get(0);
      return real.startsWith(r) ? r.relativize(real).toString() : real.toString();
    }

    /** Device and inode where the file system has them, else the real path. */
    static Object identity(Path p, BasicFileAttributes a) throws IOException {
      return a.fileKey() != null ? a.fileKey() : p.toRealPath();
    }

    /** The attributes, or null after recording why they can't be read. */
    BasicFileAttributes attributes(Path p, LinkOption... opts) throws IOException {
      try {
        return Files.readAttributes(p, BasicFileAttributes.class, opts);
      } catch (AccessDeniedException e) {
        skip(p, "an entry this user can't see (permission denied): not read");
      } catch (NoSuchFileException e) {
        skip(p, "removed while the run listed it: not read");
      }
      return null;
    }

    /**
     * True (and skipped) when the name does not survive Beam's string paths: Java decodes names
     * with the locale's encoding ({@code sun.jnu.encoding}), lossily.
     */
    boolean undecodable(Path p, String what) {
      if (Paths.get(p.toString()).equals(p)) {
        return false;
      }
      String encoding = System.getProperty("sun.jnu.encoding", "?");
      boolean utf8 = encoding.equalsIgnoreCase("UTF-8");
      skip(
          p,
          "a "
              + what
              + " name that "
              + (utf8
                  ? "is not valid UTF-8: not read; rename it to UTF-8"
                  : "can't be decoded in this JVM's file-name encoding "
                      + encoding
                      + " (from the locale): not read; run trendlake under a UTF-8 locale, e.g."
                      + " LANG=C.UTF-8, or rename it to plain ASCII"));
      return true;
    }

    private static String target(Path link) {
      try {
        return Files.readSymbolicLink(link).toString();
      } catch (IOException e) {
        return "its target";
      }
    }

    private static String reason(FileSystemException e) {
      return e.getReason() == null ? "unknown" : e.getReason().toLowerCase(Locale.ROOT);
    }

    /** A FIFO, socket or device, by the file type bits of its mode. */
    private static String kind(Path p) {
      try {
        int mode = (Integer) Files.getAttribute(p, "unix:mode"); // what a link points at
        switch (mode & 0170000) {
          case 0010000:
            return "a named pipe";
          case 0140000:
            return "a socket";
          case 0020000:
          case 0060000:
            return "a device";
          default:
            break;
        }
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        // no unix view here: the generic words below
      }
      return "a special file";
    }
  }
}
