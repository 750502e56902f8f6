package dev.trendlake.runners.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import dev.trendlake.pipeline.warehouse.Passwords;
import dev.trendlake.runners.Launcher;
import dev.trendlake.testkit.TestWarehouse;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The password reaches the warehouse and nothing else. {@code trendlake run} runs in a child JVM
 * (the password can only come from its environment), against a PostgreSQL role that must
 * authenticate with scram-sha-256; everything the run leaves behind is searched for the password:
 * stdout, stderr (the logs), the manifests and every other file under the output, and the {@code
 * .trendlake/} folder in its working directory.
 */
public class PasswordLeakTest {
  private static final String PASSWORD = "Quokka-Zebra-7731-Fjord";
  private static final String WRONG = "Okapi-Wrong-4471-Delta";
  private static TestWarehouse db;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @BeforeClass
  public static void start() throws Exception {
    db = new TestWarehouse();
    db.createLoaderRole(PASSWORD);
  }

  @AfterClass
  public static void stop() throws Exception {
    db.close();
  }

  record Child(int status, String out, String err) {}

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private Child run(Path cwd, String password, String main, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty(
                    "surefire.test.class.path", System.getProperty("java.class.path")),
                main));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().put(Passwords.ENV, password);
    File out = cwd.resolve("stdout.txt").toFile();
    File err = cwd.resolve("stderr.txt").toFile();
    Process p = pb.redirectOutput(out).redirectError(err).start();
    if (!p.waitFor(150, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the child run did not finish");
    }
    return new Child(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
  }

  private static void assertNoPasswordUnder(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertFalse(f + " holds the password", text.contains(PASSWORD) || text.contains(WRONG));
      }
    }
  }

  @Test
  public void thePasswordAppearsInNoOutputLogManifestOrErrorMessage() throws Exception {
    Path cwd = tmp.newFolder("cwd").toPath();
    String[] common = {
      "--input=" + TestWarehouse.bronze(),
      "--output=lake",
      "--warehouse=" + db.url(),
      "--warehouseUser=" + TestWarehouse.LOADER,
      "--warehouseSchema=secret_test",
      "--warehouseAttempts=1",
      "--runner=DirectRunner",
      "--enforceEncodability=false",
      "--enforceImmutability=false"
    };

    // the wrong password through ./trendlake sql (same connection code, no pipeline to wait for)
    Child wrong =
        run(
            cwd,
            WRONG,
            Launcher.class.getName(),
            "sql",
            "--warehouse=" + db.url(),
            "--warehouseUser=" + TestWarehouse.LOADER,
            "SELECT 1");
    assertEquals(wrong.err(), 1, wrong.status());
    assertThat(wrong.err(), containsString("password authentication failed"));
    assertThat(wrong.err(), containsString("host localhost:" + db.port() + ", database postgres"));
    assertFalse(wrong.out() + wrong.err(), (wrong.out() + wrong.err()).contains(WRONG));

    Child ok = run(cwd, PASSWORD, Launcher.class.getName(), prepend("run", common));
    assertEquals(ok.err(), 0, ok.status());
    assertThat(db.count("SELECT COUNT(*) FROM secret_test.fact_video_trending"), greaterThan(0L));
    assertThat(ok.out(), containsString("fact_video_trending="));
    assertFalse(ok.out() + ok.err(), (ok.out() + ok.err()).contains(PASSWORD));
    assertNoPasswordUnder(
        cwd); // stdout.txt, stderr.txt, lake/ (manifests, gold, silver), .trendlake/

    // ./trendlake sql with the right password reads the run's warehouse through .trendlake/
    Child sql =
        run(
            cwd,
            PASSWORD,
            Launcher.class.getName(),
            "sql",
            "SELECT COUNT(*) AS n FROM fact_video_trending");
    assertEquals(sql.err(), 0, sql.status());
    assertThat(sql.out(), containsString("(1 row)"));
    assertFalse(sql.out() + sql.err(), (sql.out() + sql.err()).contains(PASSWORD));
  }
}
