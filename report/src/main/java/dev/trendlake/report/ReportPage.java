package dev.trendlake.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The report as one HTML file that opens offline: the page template, the chart library (Apache
 * ECharts 5.3.1 from the {@code org.webjars.npm:echarts} artifact, bundled into this jar at build
 * time) and the data, all inline. Nothing is fetched when the page opens.
 */
final class ReportPage {
  private ReportPage() {}

  static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  static String html(ObjectNode data) {
    String page = resource("dev/trendlake/report/report.html");
    // "</" would end the inline script early; JSON and JavaScript read "<\/" as "</"
    String json = toJson(data).replace("</", "<\\/");
    String charts = resource(ECHARTS).replace("</script", "<\\/script");
    return page.replace("/*ECHARTS*/", charts).replace("/*DATA*/", json);
  }

  private static String toJson(ObjectNode data) {
    try {
      return new ObjectMapper().writeValueAsString(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String resource(String name) {
    try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            name + " is missing from the class path: build the report jar with mvn package");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
