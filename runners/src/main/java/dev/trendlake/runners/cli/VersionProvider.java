package dev.trendlake.runners.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code --version}: the project version and the commit it was built from, written into the jar by
 * the build ({@code trendlake-version.properties}).
 */
public final class VersionProvider implements CommandLine.IVersionProvider {
  static final String RESOURCE = "/trendlake-version.properties";

  @Override
  public String[] getVersion() {
    Properties p = properties();
    return new String[] {
      "trendlake "
          + p.getProperty("version", "(unknown version)")
          + " (commit "
          + p.getProperty("commit", "unknown")
          + ", built "
          + p.getProperty("built", "unknown")
          + ")",
      "Java " + System.getProperty("java.version") + ", Apache Beam " + beamVersion()
    };
  }

  static Properties properties() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // shown as unknown
    }
    return p;
  }

  private static String beamVersion() {
    try {
      return org.apache.beam.sdk.util.ReleaseInfo.getReleaseInfo().getVersion();
    } catch (RuntimeException e) {
      return "unknown";
    }
  }
}
