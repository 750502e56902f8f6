package dev.trendlake.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.runners.cli.RunCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/**
 * The report in a real headless Chromium (Debian's {@code chromium}, which .ci/run installs when it
 * is missing): the page of a lake made from testdata (a committed run and a run the quality rules
 * rejected) loads from a file with no console error, every chart has drawn pixels and holds a
 * series, and choosing a region changes a chart. The probe is a script added to a copy of the page,
 * which writes what it saw into the DOM that Chromium dumps.
 */
public class ReportBrowserTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  static final String PROBE_HEAD =
      "<script>window.__errors=[];window.addEventListener('error',function(e){"
          + "window.__errors.push(String(e.message));});var __ce=console.error;console.error="
          + "function(){window.__errors.push(Array.from(arguments).join(' '));__ce.apply(console,"
          + "arguments);};</script>";

  static final String PROBE_BODY =
      "<pre id=\"probe-result\"></pre><script>setTimeout(function(){var"
          + " c=window.trendlakeCharts||{};var"
          + " out={errors:window.__errors,charts:{}};try{Object.keys(c).forEach(function(k){var"
          + " cv=document.querySelector('#c-'+k+' canvas');var drawn=0;if(cv){var"
          + " d=cv.getContext('2d').getImageData(0,0,cv.width,cv.height).data;for(var"
          + " i=3;i<d.length;i+=4){if(d[i]>0)"
          + "{drawn++;}}}out.charts[k]={drawn:drawn,series:(c[k].getOption().series||[]).length};});var"
          + " before=JSON.stringify(c.categories.getOption().yAxis[0].data);var s=document."
          + "getElementById('region');s.value=s.options[s.options.length-1].value;s.dispatchEvent(new"
          + " Event('change'));out.region=s.value;out.changed=before!==JSON.stringify(c.categories"
          + ".getOption().yAxis[0].data);out.instances=Object.keys(c).length;}catch(e){out.errors.push('probe:"
          + " '+e);}document.getElementById('probe-result').textContent=JSON.stringify(out);}"
          + ",1500);</script>";

  static Path chromium() {
    for (String p :
        List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Paths.get(p))) {
        return Paths.get(p);
      }
    }
    return null;
  }

  static int run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--runner=DirectRunner", "--warehouse=none", "--quiet"));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    return RunCommand.run(all.toArray(new String[0]), ps, ps);
  }

  @Test
  public void theReportDrawsEveryChartOfflineAndAFilterChangesOne() throws Exception {
    Path browser = chromium();
    assumeTrue(
        "skipped: no Chromium here (/usr/bin/chromium); .ci/run installs Debian's chromium package"
            + " where apt-get can",
        browser != null);
    Path bronze = Paths.get(System.getProperty("trendlake.testdata", "../testdata"), "bronze");
    Path lake = TMP.newFolder("lake").toPath();
    assertEquals(0, run("--input=" + bronze.toAbsolutePath(), "--output=" + lake));
    Path strict = TMP.newFile("strict.yaml").toPath();
    Files.writeString(
        strict,
        "rules:\n  - {name: no_broken_files, check: quarantine_ratio, per: file, max: 0.02,"
            + " severity: fail}\n");
    assertEquals(
        3,
        run(
            "--input=" + bronze.toAbsolutePath(),
            "--output=" + lake,
            "--qualityRules=" + strict,
            "--mode=full")); // an incremental rerun would find nothing new to judge

    Path page = lake.resolveSibling("report.html");
    int status = new CommandLine(new ReportCommand()).execute("--lake=" + lake, "--out=" + page);
    assertEquals(0, status);
    String html = Files.readString(page);
    assertThat("no network fetch", html, not(containsString("src=\"http")));
    assertThat(html, not(containsString("cdn")));
    Path probe = lake.resolveSibling("probe.html");
    // the chart library holds the text "</body>" too: the probe goes before the page's last one
    String probed = html.replaceFirst("<head>", "<head>" + PROBE_HEAD);
    int end = probed.lastIndexOf("</body>");
    Files.writeString(probe, probed.substring(0, end) + PROBE_BODY + probed.substring(end));

    JsonNode seen = dump(browser, probe);
    assertEquals(seen.toString(), 0, seen.path("errors").size());
    assertEquals(7, seen.path("instances").asInt());
    for (String chart :
        List.of("days", "categories", "channels", "scatter", "lag", "quarantine", "quality")) {
      JsonNode c = seen.path("charts").path(chart);
      assertTrue(chart + " drew nothing: " + seen, c.path("drawn").asInt() > 500);
      assertTrue(chart + " has no series: " + seen, c.path("series").asInt() > 0);
    }
    assertEquals("us", seen.path("region").asText());
    assertTrue(
        "choosing a region changed the categories chart: " + seen,
        seen.path("changed").asBoolean());
  }

  /** Loads the page in headless Chromium and returns what the probe wrote. */
  static JsonNode dump(Path browser, Path page) throws Exception {
    Path profile = Files.createTempDirectory("trendlake-chromium-");
    Process p =
        new ProcessBuilder(
                browser.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--window-size=1400,2200",
                "--virtual-time-budget=15000",
                "--dump-dom",
                page.toUri().toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("chromium did not finish", p.waitFor(120, TimeUnit.SECONDS));
    int at = dom.indexOf("<pre id=\"probe-result\">");
    assertTrue(
        "no probe result in the page: " + dom.substring(0, Math.min(500, dom.length())), at >= 0);
    String text =
        dom.substring(at + "<pre id=\"probe-result\">".length(), dom.indexOf("</pre>", at));
    assertTrue("the probe did not run: " + text, !text.isEmpty());
    return new ObjectMapper()
        .readTree(
            text.replace("&quot;", "\"")
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">"));
  }
}
