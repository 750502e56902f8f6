package dev.trendlake.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;

import dev.trendlake.ingest.ReplayServer.Reply;
import dev.trendlake.testkit.AwsApiRecorder;
import dev.trendlake.testkit.FaultyS3Proxy;
import dev.trendlake.testkit.S3MockServer;
import dev.trendlake.testkit.iam.Iam;
import dev.trendlake.testkit.iam.Iam.Decision;
import dev.trendlake.testkit.iam.Iam.Request;
import dev.trendlake.testkit.iam.Iam.Statement;
import dev.trendlake.testkit.iam.S3Requests;
import dev.trendlake.testkit.iam.TerraformIam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.ClassRule;
import org.junit.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 17: the ingest task's role proven by ingest's own requests. {@code trendlake ingest} writes
 * a region to an {@code s3://} bronze (s3mock behind a recording proxy), with its API key from
 * Secrets Manager (a recording endpoint) and the API replayed; every S3 call, as the IAM request S3
 * authorizes (with the KMS calls S3 makes for SSE-KMS), and the secret read must be allowed for the
 * {@code ingest} role of terraform/, with the bronze bucket's Deny statements; what ingest must
 * never do (delete or list bronze, touch the lake) is denied.
 */
public class IngestIamTest {
  @ClassRule public static final S3MockServer SERVER = new S3MockServer();

  static final String BRONZE = "iam-ingest-bronze";
  static final String KEY_ARN =
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:trendlake/youtube-AbCdEf";
  static final String DATA_KEY = "aws_kms_key.data.arn";

  @Test
  public void everyRequestOfIngestIsAllowedForTheIngestRole() throws Exception {
    TerraformIam iam = TerraformIam.load(TerraformIam.defaultDir());
    System.setProperty("aws.accessKeyId", "AKIDINGESTIAM");
    System.setProperty("aws.secretAccessKey", "ingest-iam-secret");
    List<Request> requests = new ArrayList<>();
    try (S3Client s3 = SERVER.client("AKIDINGESTIAM", "ingest-iam-secret");
        ReplayServer api = new ReplayServer();
        FaultyS3Proxy proxy = new FaultyS3Proxy(SERVER.port(), r -> FaultyS3Proxy.Fault.NONE);
        AwsApiRecorder secrets = new AwsApiRecorder()) {
      s3.createBucket(b -> b.bucket(BRONZE));
      api.on("videos", "US", null, Reply.ok(IngestTest.fixture("us-videos-p1.json")))
          .on("videos", "US", "CAIQAA", Reply.ok(IngestTest.fixture("us-videos-p2.json")))
          .on("videoCategories", "US", null, Reply.ok(IngestTest.fixture("us-categories.json")));
      secrets.secret(KEY_ARN, "AIzaFROM-SECRETS-MANAGER-IAM");
      IngestTest.Result r =
          IngestTest.ingest(
              IngestTest.T,
              Map.of(),
              "--regions=us",
              "--output=s3://" + BRONZE,
              "--apiBaseUrl=" + api.baseUrl(),
              "--apiKeySecretArn=" + KEY_ARN,
              "--secretsManagerEndpoint=" + secrets.endpoint(),
              "--endpoint=http://127.0.0.1:" + proxy.port(),
              "--awsRegion=us-east-1",
              "--s3ClientFactoryClass=dev.trendlake.pipeline.s3.TrendlakeS3ClientFactory",
              "--s3PathStyleAccess=true");
      assertEquals(r.all(), 0, r.exit());
      requests.addAll(
          S3Requests.of(
              proxy.recorded(),
              b -> b.equals(BRONZE) ? iam.bucketArn("bronze") : "arn:aws:s3:::" + b,
              DATA_KEY));
      for (AwsApiRecorder.Call c : secrets.calls()) {
        requests.add(
            new Request(
                c.iamAction(),
                c.params().get("SecretId").equals(KEY_ARN)
                    ? "aws_secretsmanager_secret.youtube_api_key.arn"
                    : c.params().get("SecretId"),
                Map.of()));
      }
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
    List<String> actions = requests.stream().map(Request::action).distinct().sorted().toList();
    System.out.println("ingest's requests: " + requests.size() + ", actions " + actions);
    assertThat(actions, hasItem("s3:PutObject"));
    assertThat(actions, hasItem("secretsmanager:GetSecretValue"));
    List<Statement> role = iam.role("ingest");
    List<Statement> bucket = iam.bucketPolicy("bronze");
    TreeSet<String> denied = new TreeSet<>();
    for (Request req : requests) {
      Decision d =
          Iam.decide(
              role, req.resource().startsWith(iam.bucketArn("bronze")) ? bucket : List.of(), req);
      if (d != Decision.ALLOWED) {
        denied.add(d + ": " + req);
      }
    }
    assertThat("the ingest role would be denied", denied, empty());

    String bronze = iam.bucketArn("bronze");
    Map<String, String> tls = Map.of("aws:SecureTransport", "true", "s3:TlsVersion", "1.3");
    for (Request never :
        List.of(
            new Request("s3:DeleteObject", bronze + "/raw_statistics/region=us/x.csv", tls),
            new Request("s3:GetObject", bronze + "/raw_statistics/region=us/x.csv", tls),
            new Request("s3:ListBucket", bronze, Map.of("s3:prefix", "raw_statistics/")),
            new Request("s3:PutObject", bronze + "/elsewhere/x.csv", tls),
            new Request("s3:PutObject", iam.bucketArn("lake") + "/gold/x.parquet", tls),
            new Request(
                "secretsmanager:GetSecretValue",
                "aws_redshiftserverless_namespace.trendlake.admin_password_secret_arn",
                Map.of()))) {
      assertEquals("ingest: " + never, Decision.IMPLICIT_DENY, Iam.decide(role, bucket, never));
    }
  }
}
