package dev.trendlake.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;

/**
 * {@link ManagedFlinkMain} started outside the service, from a runtime-properties JSON file of the
 * service's shape: it runs the FlinkRunner in streaming mode with checkpointing, as the service
 * would, and must still produce the DirectRunner's output.
 */
public class ManagedFlinkMainTest {

  private static Path propertiesFile(String propertyMapJson) throws IOException {
    Path f = Files.createTempFile(TestRuns.newOutput("props"), "application_properties", ".json");
    Files.writeString(
        f,
        "[{\"PropertyGroupId\": \"Other\", \"PropertyMap\": {\"x\": \"y\"}},\n"
            + " {\"PropertyGroupId\": \"TrendlakeOptions\", \"PropertyMap\": "
            + propertyMapJson
            + "}]",
        StandardCharsets.UTF_8);
    return f;
  }

  /**
   * {@link ManagedFlinkMain} on testdata's bronze into {@code out}, with {@code moreProperties}
   * (JSON members) in its property group; fails unless it succeeds, and returns what it printed.
   */
  private static String runOnTestdata(Path out, String moreProperties) throws IOException {
    Path props =
        propertiesFile(
            "{\"input\": "
                + json(TestRuns.bronze().toString())
                + ", \"output\": "
                + json(out.toString())
                + ", \"warehouse\": \"none\", \"parallelism\": \"2\", "
                + moreProperties
                + "}");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int status;
    try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      status = ManagedFlinkMain.run(new String[] {"--applicationProperties=" + props}, ps, ps);
    }
    String printed = buf.toString(StandardCharsets.UTF_8);
    assertEquals("ManagedFlinkMain failed:\n" + printed, 0, status);
    return printed;
  }

  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Test
  public void runFromLocalPropertiesFileMatchesDirectRunner() throws IOException {
    Path out = TestRuns.newOutput("managed");
    String printed = runOnTestdata(out, "\"continuous\": \"false\"");
    assertThat(printed, containsString("on FlinkRunner"));
    LakeSnapshot.assertSameOutput(
        "ManagedFlinkMain (streaming)", TestRuns.direct(), LakeSnapshot.of(out));
  }

  /**
   * With no {@code continuous} property the application is a continuous job: here on the embedded
   * cluster, ended by {@code stopWhenIdle} (the service's job runs until stopped), its lake equals
   * the DirectRunner's batch output.
   */
  @Test
  public void aContinuousJobByDefaultGivesTheBatchOutput() throws IOException {
    Path out = TestRuns.newOutput("managed-continuous");
    String printed =
        runOnTestdata(
            out,
            "\"watchInterval\": \"PT1S\", \"commitDelay\": \"PT1S\","
                + " \"stopWhenIdle\": \"PT3S\", \"checkpointingInterval\": \"2000\"");
    assertThat(printed, containsString("watches"));
    assertThat(printed, containsString("commit(s)"));
    Arrivals.assertSameLake("ManagedFlinkMain (continuous)", TestRuns.direct().root, out);
  }

  @Test
  public void optionsAreDefaultsThenPropertiesThenArguments() throws IOException {
    Path props =
        propertiesFile(
            "{\"input\": \"/in\", \"--output\": \"/out\", \"checkpointingInterval\": \"30000\"}");
    String previous = System.getProperty(ManagedFlinkMain.FILE_PROPERTY);
    System.setProperty(ManagedFlinkMain.FILE_PROPERTY, props.toString());
    try {
      List<String> o =
          Arrays.asList(ManagedFlinkMain.options(new String[] {"--output=/elsewhere"}));
      assertEquals("--runner=FlinkRunner", o.get(0));
      assertTrue(o.toString(), o.contains("--input=/in"));
      assertTrue(o.toString(), o.contains("--output=/elsewhere"));
      assertTrue(o.toString(), o.contains("--checkpointingInterval=30000"));
      assertTrue(o.toString(), o.contains("--streaming=true"));
      // continuous by default: the start-up source stays alive for checkpoints
      assertTrue(o.toString(), o.contains("--continuous=true"));
      assertTrue(o.toString(), o.stream().noneMatch(a -> a.startsWith("--shutdownSources")));
      assertTrue(o.toString(), o.stream().noneMatch(a -> a.startsWith("--flinkMaster")));
      assertEquals(o.toString(), 1, o.stream().filter(a -> a.startsWith("--output=")).count());
    } finally {
      if (previous == null) {
        System.clearProperty(ManagedFlinkMain.FILE_PROPERTY);
      } else {
        System.setProperty(ManagedFlinkMain.FILE_PROPERTY, previous);
      }
    }
  }

  @Test
  public void anotherRunnerIsRefusedWithAClearMessage() throws IOException {
    Path props = propertiesFile("{\"input\": \"/in\", \"runner\": \"DirectRunner\"}");
    ManagedFlinkMain.UsageException e =
        assertThrows(
            ManagedFlinkMain.UsageException.class,
            () -> ManagedFlinkMain.options(new String[] {"--applicationProperties=" + props}));
    assertThat(e.getMessage(), containsString("only the FlinkRunner"));
  }

  @Test
  public void missingFileOrGroupIsReportedNotIgnored() throws IOException {
    ManagedFlinkMain.UsageException missing =
        assertThrows(
            ManagedFlinkMain.UsageException.class,
            () ->
                ManagedFlinkMain.options(
                    new String[] {"--applicationProperties=/nonexistent/props.json"}));
    assertThat(missing.getMessage(), containsString("does not exist"));

    Path other = Files.createTempFile(TestRuns.newOutput("props"), "other", ".json");
    Files.writeString(other, "[{\"PropertyGroupId\": \"Other\", \"PropertyMap\": {}}]");
    ManagedFlinkMain.UsageException noGroup =
        assertThrows(
            ManagedFlinkMain.UsageException.class,
            () -> ManagedFlinkMain.options(new String[] {"--applicationProperties=" + other}));
    assertThat(noGroup.getMessage(), containsString("no property group TrendlakeOptions"));
    assertThat(noGroup.getMessage(), containsString("[Other]"));

    Path broken = Files.createTempFile(TestRuns.newOutput("props"), "broken", ".json");
    Files.writeString(broken, "{not json");
    ManagedFlinkMain.UsageException malformed =
        assertThrows(
            ManagedFlinkMain.UsageException.class,
            () -> ManagedFlinkMain.options(new String[] {"--applicationProperties=" + broken}));
    assertThat(malformed.getMessage(), containsString("PropertyGroupId"));
  }

  @Test
  public void badPropertyNamesAreRejected() throws IOException {
    Path props = propertiesFile("{\"input\": \"/in\", \"out put\": \"x\"}");
    ManagedFlinkMain.UsageException e =
        assertThrows(
            ManagedFlinkMain.UsageException.class,
            () -> ManagedFlinkMain.options(new String[] {"--applicationProperties=" + props}));
    assertThat(e.getMessage(), containsString("'out put'"));
  }
}
