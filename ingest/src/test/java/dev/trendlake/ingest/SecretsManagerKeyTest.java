package dev.trendlake.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.trendlake.ingest.ReplayServer.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The API key read from AWS Secrets Manager by the real AWS SDK client, against a local server that
 * speaks the GetSecretValue JSON protocol: the key in the secret is the key sent to the API, and it
 * appears in no output and no file.
 */
public class SecretsManagerKeyTest {
  static final String ARN =
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:trendlake/youtube-AbCdEf";
  static final String SECRET_KEY = "AIzaFROM-SECRETS-MANAGER-42";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private HttpServer secrets;
  private final List<JsonNode> secretRequests = new CopyOnWriteArrayList<>();
  private final List<String> targets = new CopyOnWriteArrayList<>();
  private volatile String secretString;
  private ReplayServer api;

  @Before
  public void start() throws IOException {
    System.setProperty("aws.accessKeyId", "test-access-key");
    System.setProperty("aws.secretAccessKey", "test-secret-key");
    secrets = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    secrets.createContext(
        "/",
        ex -> {
          JsonNode req = new ObjectMapper().readTree(ex.getRequestBody().readAllBytes());
          secretRequests.add(req);
          targets.add(ex.getRequestHeaders().getFirst("X-Amz-Target"));
          byte[] body;
          int status;
          if (ARN.equals(req.path("SecretId").asText())) {
            status = 200;
            body =
                new ObjectMapper()
                    .createObjectNode()
                    .put("ARN", ARN)
                    .put("Name", "trendlake/youtube")
                    .put("VersionId", "v1")
                    .put("SecretString", secretString)
                    .put("CreatedDate", 1.7e9)
                    .toString()
                    .getBytes(StandardCharsets.UTF_8);
          } else {
            status = 400;
            body =
                ("{\"__type\":\"ResourceNotFoundException\","
                        + "\"Message\":\"Secrets Manager can't find the specified secret.\"}")
                    .getBytes(StandardCharsets.UTF_8);
          }
          ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
          ex.sendResponseHeaders(status, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    secrets.start();
    api = new ReplayServer();
    api.on("videos", "US", null, Reply.ok(IngestTest.fixture("us-videos-p1.json")))
        .on("videos", "US", "CAIQAA", Reply.ok(IngestTest.fixture("us-videos-p2.json")))
        .on("videoCategories", "US", null, Reply.ok(IngestTest.fixture("us-categories.json")));
  }

  @After
  public void stop() {
    secrets.stop(0);
    api.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private IngestTest.Result ingest(String arn) throws IOException {
    return IngestTest.ingest(
        IngestTest.T,
        Map.of(ApiKeys.ENV, "the-env-key-must-not-be-used"),
        "--regions=us",
        "--output=" + tmp.getRoot().toPath().resolve("bronze"),
        "--apiBaseUrl=" + api.baseUrl(),
        "--apiKeySecretArn=" + arn,
        "--secretsManagerEndpoint=http://127.0.0.1:" + secrets.getAddress().getPort());
  }

  @Test
  public void plainTextSecretIsTheKey() throws IOException {
    secretString = SECRET_KEY;
    IngestTest.Result r = ingest(ARN);
    assertEquals(r.all(), 0, r.exit());
    assertEquals(List.of("secretsmanager.GetSecretValue"), targets);
    assertTrue(api.requests().stream().allMatch(u -> u.endsWith("key=" + SECRET_KEY)));
    assertThat(r.all(), not(containsString(SECRET_KEY)));
  }

  @Test
  public void jsonSecretWithAKeyField() throws IOException {
    secretString = "{\"YOUTUBE_API_KEY\":\"" + SECRET_KEY + "\"}";
    IngestTest.Result r = ingest(ARN);
    assertEquals(r.all(), 0, r.exit());
    assertTrue(api.requests().stream().allMatch(u -> u.endsWith("key=" + SECRET_KEY)));
  }

  @Test
  public void tmdbKeyFromAJsonSecretNamedAfterItsVariable() throws IOException {
    secretString = "{\"TMDB_API_KEY\":\"" + SECRET_KEY + "\"}";
    api.onTmdb("genre/tv/list", null, Reply.ok(TmdbIngestTest.fixture("genres.json")))
        .onTmdb("trending/tv/day", 1, Reply.ok(TmdbIngestTest.fixture("trending-p1.json")));
    IngestTest.Result r =
        IngestTest.ingest(
            IngestTest.T,
            Map.of(Source.TMDB.keyEnv(), "the-env-key-must-not-be-used"),
            "--source=tmdb",
            "--lists=trending",
            "--output=" + tmp.getRoot().toPath().resolve("bronze"),
            "--apiBaseUrl=" + api.tmdbBaseUrl(),
            "--apiKeySecretArn=" + ARN,
            "--secretsManagerEndpoint=http://127.0.0.1:" + secrets.getAddress().getPort());
    assertEquals(r.all(), 0, r.exit());
    assertEquals(List.of("secretsmanager.GetSecretValue"), targets);
    assertEquals(2, api.requests().size());
    assertTrue(api.requests().stream().allMatch(u -> u.endsWith("api_key=" + SECRET_KEY)));
    IngestTest.assertKeyNowhereElse(tmp.getRoot().toPath().resolve("bronze"), r, SECRET_KEY);
  }

  @Test
  public void unknownSecretIsAClearErrorAndNoRequest() throws IOException {
    secretString = SECRET_KEY;
    IngestTest.Result r = ingest(ARN.replace("AbCdEf", "nope00"));
    assertEquals(2, r.exit());
    assertThat(
        r.err(),
        containsString(
            "could not read the API key from Secrets Manager secret "
                + ARN.replace("AbCdEf", "nope00")));
    assertThat(r.err(), containsString("can't find the specified secret"));
    assertEquals(0, api.totalHits());
  }
}
