package dev.trendlake.pipeline.continuous;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The markers a continuous job and its launcher leave each other under {@code _manifests/}. */
public class OutputMarkerTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aMarkerSaysWhyInValidJsonWhateverTheSentenceHoldsAndGoesWhenCleared()
      throws Exception {
    String out = tmp.getRoot().toString();
    String why = "stopped by \"ops\" from C:\\jobs\nat night";
    assertFalse(DrainSignal.requested(out));
    DrainSignal.request(out, why);
    assertTrue(DrainSignal.requested(out));
    Path file = tmp.getRoot().toPath().resolve("_manifests/_drain.json");
    assertEquals(why, new ObjectMapper().readTree(file.toFile()).path("requested").asText());

    WatchEnded.record(out, why);
    Optional<String> ended = WatchEnded.reason(out);
    assertTrue(ended.isPresent());
    assertEquals(why, new ObjectMapper().readTree(ended.get()).path("ended").asText());

    DrainSignal.clear(out);
    WatchEnded.clear(out);
    assertFalse(DrainSignal.requested(out));
    assertFalse(WatchEnded.reason(out).isPresent());
    assertFalse(Files.exists(file));
    DrainSignal.clear(out); // clearing twice is fine
  }
}
