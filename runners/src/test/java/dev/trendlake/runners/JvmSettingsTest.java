package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** The JVM an embedded Flink run gets, and the user's own collector choice left alone. */
public class JvmSettingsTest {
  @Test
  public void anEmbeddedFlinkRunGetsAFixedHeapResidentFromTheStart() {
    assertEquals(List.of("-Xms640m", "-Xmx640m", "-XX:+AlwaysPreTouch"), JvmSettings.flinkHeap(2));
    assertEquals("-Xmx768m", JvmSettings.flinkHeap(4).get(1));
  }

  @Test
  public void aCollectorTheUserChoseIsRecognised() {
    assertTrue(JvmSettings.choosesCollector("-XX:+UseG1GC"));
    assertTrue(JvmSettings.choosesCollector("-XX:+UseZGC"));
    assertTrue(JvmSettings.choosesCollector(JvmSettings.FLINK_GC));
    assertFalse(JvmSettings.choosesCollector("-XX:+UseCompressedOops"));
    assertFalse(JvmSettings.choosesCollector("-XX:-UseG1GC"));
    assertFalse(JvmSettings.choosesCollector("-Xmx2g"));
  }
}
