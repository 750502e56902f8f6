package dev.trendlake.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local endpoint for the AWS APIs besides S3 that trendlake calls (CloudWatch {@code
 * PutMetricData}, AWS query protocol; Secrets Manager {@code GetSecretValue}, JSON protocol): it
 * records every call with its parameters, so tests can check what the code asks AWS for, and
 * answers as the service does, or refuses a service the way AWS refuses a caller without permission
 * ({@code 403 AccessDenied}). Point the SDK clients at {@link #endpoint()}.
 */
public final class AwsApiRecorder implements AutoCloseable {
  /**
   * One call: the service's signing name ({@code monitoring}, {@code secretsmanager}), the action
   * and its top-level parameters.
   */
  public record Call(String service, String action, Map<String, String> params) {
    /** The IAM action the call needs, e.g. {@code cloudwatch:PutMetricData}. */
    public String iamAction() {
      return (service.equals("monitoring") ? "cloudwatch" : service) + ":" + action;
    }

    /**
     * The datums of a {@code PutMetricData} call, in the order sent (query protocol: {@code
     * MetricData.member.<n>.MetricName}, {@code .Value}, {@code .Dimensions.member.<m>.Name} and
     * {@code .Value}).
     */
    public List<Datum> metricData() {
      List<Datum> out = new ArrayList<>();
      for (int n = 1; params.containsKey("MetricData.member." + n + ".MetricName"); n++) {
        String m = "MetricData.member." + n + ".";
        Map<String, String> dims = new LinkedHashMap<>();
        for (int d = 1; params.containsKey(m + "Dimensions.member." + d + ".Name"); d++) {
          dims.put(
              params.get(m + "Dimensions.member." + d + ".Name"),
              params.get(m + "Dimensions.member." + d + ".Value"));
        }
        out.add(
            new Datum(
                params.get(m + "MetricName"), Double.parseDouble(params.get(m + "Value")), dims));
      }
      return out;
    }
  }

  /** One datum of a recorded {@code PutMetricData} call. */
  public record Datum(String name, double value, Map<String, String> dimensions) {}

  private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/([^/]+)/([^/]+)/");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final Map<String, String> secrets = new ConcurrentHashMap<>();

  public AwsApiRecorder() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers every call of {@code service} (signing name) with 403 AccessDenied. */
  public AwsApiRecorder refuse(String service) {
    refused.add(service);
    return this;
  }

  /** A secret GetSecretValue returns; any other id is ResourceNotFound. */
  public AwsApiRecorder secret(String arn, String secretString) {
    secrets.put(arn, secretString);
    return this;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
    Matcher scope = SCOPE.matcher(auth);
    String service = scope.find() ? scope.group(2) : "unknown";
    String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
    Map<String, String> params = new LinkedHashMap<>();
    String action;
    if (target != null) {
      action = target.substring(target.indexOf('.') + 1);
      JsonNode json =
          JSON.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
      for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        params.put(
            e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
      }
    } else {
      for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      action = params.getOrDefault("Action", "unknown");
    }
    Call call = new Call(service, action, params);
    calls.add(call);
    if (refused.contains(service)) {
      reply(
          ex,
          403,
          target != null,
          error(
              target != null,
              "AccessDeniedException",
              "AccessDenied",
              "User: arn:aws:sts::123456789012:assumed-role/test is not authorized to perform: "
                  + call.iamAction()));
    } else if (call.iamAction().equals("secretsmanager:GetSecretValue")) {
      String id = params.get("SecretId");
      String secret = id == null ? null : secrets.get(id);
      if (secret == null) {
        reply(
            ex,
            400,
            true,
            error(
                true,
                "ResourceNotFoundException",
                null,
                "Secrets Manager can't find the specified secret."));
      } else {
        reply(
            ex,
            200,
            true,
            JSON.createObjectNode()
                .put("ARN", id)
                .put("Name", "secret")
                .put("VersionId", "v1")
                .put("SecretString", secret)
                .put("CreatedDate", 1.7e9)
                .toString());
      }
    } else {
      reply(
          ex,
          200,
          target != null,
          target != null
              ? "{}"
              : "<"
                  + action
                  + "Response xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
                  + "<ResponseMetadata><RequestId>recorded</RequestId></ResponseMetadata></"
                  + action
                  + "Response>");
    }
  }

  private static String error(boolean json, String jsonType, String queryCode, String message) {
    return json
        ? JSON.createObjectNode().put("__type", jsonType).put("Message", message).toString()
        : "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><Error>"
            + "<Type>Sender</Type><Code>"
            + queryCode
            + "</Code><Message>"
            + message
            + "</Message></Error><RequestId>recorded</RequestId></ErrorResponse>";
  }

  private static void reply(HttpExchange ex, int status, boolean json, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", json ? "application/x-amz-json-1.1" : "text/xml");
    ex.getResponseHeaders().set("x-amzn-RequestId", "recorded");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  /** The calls of one IAM action, e.g. {@code cloudwatch:PutMetricData}. */
  public List<Call> calls(String iamAction) {
    List<Call> out = new ArrayList<>();
    for (Call c : calls) {
      if (c.iamAction().equals(iamAction)) {
        out.add(c);
      }
    }
    return out;
  }
}
