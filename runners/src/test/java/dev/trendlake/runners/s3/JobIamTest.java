package dev.trendlake.runners.s3;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;

import dev.trendlake.pipeline.warehouse.RedshiftCopy;
import dev.trendlake.runners.CliRun;
import dev.trendlake.testkit.AwsApiRecorder;
import dev.trendlake.testkit.FaultyS3Proxy;
import dev.trendlake.testkit.S3MockServer;
import dev.trendlake.testkit.TestWarehouse;
import dev.trendlake.testkit.iam.Iam;
import dev.trendlake.testkit.iam.Iam.Decision;
import dev.trendlake.testkit.iam.Iam.Request;
import dev.trendlake.testkit.iam.Iam.Statement;
import dev.trendlake.testkit.iam.S3Requests;
import dev.trendlake.testkit.iam.TerraformIam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue 17: IAM proven by the code's own requests. One whole run as the scheduled job makes it
 * ({@code --input=s3://<bronze> --output=s3://<lake>}, the quarantine metrics, the warehouse
 * password from Secrets Manager), against s3mock through a proxy that records every S3 call and a
 * local endpoint that records the CloudWatch and Secrets Manager calls. Each call, as the IAM
 * request S3 or the service authorizes (KMS calls S3 makes as the caller included), is evaluated
 * against the roles terraform/ defines, with the buckets' Deny statements: every request of the job
 * must be allowed for the EMR job role and the Managed Flink role, and each COPY the Redshift load
 * would run (the code's own statements) for the COPY role; a sample of requests the job must never
 * make is denied. With {@code -Dtrendlake.terraform.dir=<a broken copy>} it checks another
 * terraform/ (issue 17's first finding fails it).
 */
public class JobIamTest {
  @ClassRule public static final S3MockServer SERVER = new S3MockServer();

  static final String BRONZE = "iam-bronze";
  static final String LAKE = "iam-lake";
  static final String SECRET_ARN =
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:trendlake-redshift-AbCdEf";
  static final String COPY_ROLE = "arn:aws:iam::123456789012:role/trendlake-redshift-copy";
  static final String DATA_KEY = "aws_kms_key.data.arn";

  static TerraformIam iam;
  static S3Client s3;
  static List<Request> requests;
  static List<Request> continuousRequests;
  static TestWarehouse db;

  /** The test's names, as terraform/ spells them. */
  static String bucketArn(String bucket) {
    return switch (bucket) {
      case BRONZE -> iam.bucketArn("bronze");
      case LAKE -> iam.bucketArn("lake");
      default -> "arn:aws:s3:::" + bucket;
    };
  }

  @BeforeClass
  public static void runTheJobAndRecordItsRequests() throws Exception {
    iam = TerraformIam.load(TerraformIam.defaultDir());
    System.setProperty("aws.accessKeyId", "AKIDIAMTEST");
    System.setProperty("aws.secretAccessKey", "iam-test-secret");
    System.setProperty("aws.region", "us-east-1");
    s3 = SERVER.client("AKIDIAMTEST", "iam-test-secret");
    s3.createBucket(b -> b.bucket(BRONZE));
    s3.createBucket(b -> b.bucket(LAKE));
    Path bronze = TestWarehouse.bronze();
    try (Stream<Path> walk = Files.walk(bronze)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        String key = bronze.relativize(f).toString().replace('\\', '/');
        s3.putObject(b -> b.bucket(BRONZE).key(key), RequestBody.fromFile(f));
      }
    }
    db = new TestWarehouse();
    db.createLoaderRole("Iam-Loader-Pass-31");
    // a continuous job as Managed Flink runs it (commits, their metrics, markers), on its own lake
    continuousRequests =
        recorded(
            "--continuous",
            "--watchInterval=PT1S",
            "--commitDelay=PT1S",
            "--stopWhenIdle=PT3S",
            "--runId=iam-continuous",
            "--warehouse=none");
    emptyTheLake();
    requests =
        recorded(
            "--runId=iam-run", "--warehouse=" + db.url(), "--warehouseSecretArn=" + SECRET_ARN);
  }

  /** One run against s3mock through the recording proxy: its requests, as IAM sees them. */
  private static List<Request> recorded(String... options) throws Exception {
    try (FaultyS3Proxy proxy = new FaultyS3Proxy(SERVER.port(), r -> FaultyS3Proxy.Fault.NONE);
        AwsApiRecorder aws = new AwsApiRecorder()) {
      aws.secret(SECRET_ARN, "{\"username\":\"loader\",\"password\":\"Iam-Loader-Pass-31\"}");
      System.setProperty("aws.endpointUrlCloudWatch", aws.endpoint().toString());
      System.setProperty("aws.endpointUrlSecretsManager", aws.endpoint().toString());
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--input=s3://" + BRONZE,
                  "--output=s3://" + LAKE,
                  "--cloudWatchNamespace=Trendlake",
                  "--endpoint=http://127.0.0.1:" + proxy.port(),
                  "--awsRegion=us-east-1",
                  "--s3PathStyleAccess=true",
                  "--enforceEncodability=false",
                  "--enforceImmutability=false"));
      args.addAll(List.of(options));
      CliRun r = CliRun.run(args.toArray(new String[0]));
      assertEquals(r.all(), 0, r.status());
      List<Request> out =
          new ArrayList<>(S3Requests.of(proxy.recorded(), JobIamTest::bucketArn, DATA_KEY));
      for (AwsApiRecorder.Call c : aws.calls()) {
        out.add(
            switch (c.iamAction()) {
              case "cloudwatch:PutMetricData" ->
                  new Request(
                      c.iamAction(),
                      "*",
                      Map.of(
                          "cloudwatch:namespace",
                          c.params().get("Namespace").equals("Trendlake")
                              ? "var.metrics_namespace"
                              : c.params().get("Namespace")));
              case "secretsmanager:GetSecretValue" ->
                  new Request(
                      c.iamAction(),
                      c.params().get("SecretId").equals(SECRET_ARN)
                          ? "aws_redshiftserverless_namespace.trendlake.admin_password_secret_arn"
                          : c.params().get("SecretId"),
                      Map.of());
              default -> throw new AssertionError("a call not modelled: " + c);
            });
      }
      return out;
    } finally {
      System.clearProperty("aws.endpointUrlCloudWatch");
      System.clearProperty("aws.endpointUrlSecretsManager");
    }
  }

  /** Removes every object of the lake bucket, directly (not through the recording proxy). */
  private static void emptyTheLake() {
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(LAKE)).contents()) {
      s3.deleteObject(b -> b.bucket(LAKE).key(o.key()));
    }
  }

  @AfterClass
  public static void tearDown() throws Exception {
    for (String p : List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.region")) {
      System.clearProperty(p);
    }
    if (s3 != null) {
      s3.close();
    }
    if (db != null) {
      db.close();
    }
  }

  /** Every statement a request of a role meets: the role's own, and the bucket's policy. */
  static Decision decide(List<Statement> role, Request r) {
    List<Statement> bucket = new ArrayList<>();
    if (r.resource().startsWith(bucketArn(BRONZE))) {
      bucket.addAll(iam.bucketPolicy("bronze"));
    } else if (r.resource().startsWith(bucketArn(LAKE))) {
      bucket.addAll(iam.bucketPolicy("lake"));
    }
    return Iam.decide(role, bucket, r);
  }

  /** The requests {@code role} may not make, with the count of each distinct one. */
  static List<String> denied(List<Statement> role, List<Request> made) {
    TreeMap<String, Integer> out = new TreeMap<>();
    for (Request r : made) {
      Decision d = decide(role, r);
      if (d != Decision.ALLOWED) {
        out.merge(d + ": " + r, 1, Integer::sum);
      }
    }
    return out.entrySet().stream().map(e -> e.getKey() + " (x" + e.getValue() + ")").toList();
  }

  @Test
  public void everyRequestOfTheJobIsAllowedForTheEmrJobAndManagedFlinkRoles() {
    assertThat(requests.size(), greaterThan(100));
    List<String> actions = requests.stream().map(Request::action).distinct().sorted().toList();
    System.out.println("the job's requests: " + requests.size() + ", actions " + actions);
    for (String a :
        List.of(
            "s3:ListBucket",
            "s3:GetObject",
            "s3:PutObject",
            "s3:DeleteObject",
            "kms:Decrypt",
            "kms:GenerateDataKey",
            "cloudwatch:PutMetricData",
            "secretsmanager:GetSecretValue")) {
      assertThat("the run made " + a + " requests", actions, hasItem(a));
    }
    assertThat("emr_job", denied(iam.role("emr_job"), requests), empty());
    assertThat("managed_flink", denied(iam.role("managed_flink"), requests), empty());
  }

  /**
   * The continuous job Managed Flink runs: its watcher's listings and state reads, each commit's
   * writes, moves and manifests, its metrics, the stop and end markers.
   */
  @Test
  public void everyRequestOfAContinuousJobIsAllowedForTheManagedFlinkRole() {
    assertThat(continuousRequests.size(), greaterThan(100));
    List<String> actions =
        continuousRequests.stream().map(Request::action).distinct().sorted().toList();
    System.out.println(
        "the continuous job's requests: " + continuousRequests.size() + ", actions " + actions);
    for (String a :
        List.of(
            "s3:ListBucket",
            "s3:GetObject",
            "s3:PutObject",
            "s3:DeleteObject",
            "cloudwatch:PutMetricData")) {
      assertThat("the continuous job made " + a + " requests", actions, hasItem(a));
    }
    assertThat("managed_flink", denied(iam.role("managed_flink"), continuousRequests), empty());
  }

  @Test
  public void requestsTheJobMustNeverMakeAreDenied() {
    String bronze = bucketArn(BRONZE);
    String lake = bucketArn(LAKE);
    Map<String, String> tls = Map.of("aws:SecureTransport", "true", "s3:TlsVersion", "1.3");
    List<Request> never =
        List.of(
            new Request("s3:DeleteObject", bronze + "/raw_statistics/region=us/us.csv", tls),
            new Request("s3:PutObject", bronze + "/raw_statistics/region=us/new.csv", tls),
            new Request("s3:ListBucket", bronze, Map.of("s3:prefix", "raw_api/")),
            new Request("s3:ListBucket", bronze, Map.of()),
            new Request("s3:GetObject", "arn:aws:s3:::someone-elses-bucket/data.csv", tls),
            new Request("s3:GetObject", iam.bucketArn("artifacts") + "/athena-results/q.csv", tls),
            new Request("s3:PutObject", lake + "/elsewhere/file", tls),
            new Request("cloudwatch:PutMetricData", "*", Map.of("cloudwatch:namespace", "AWS/S3")),
            new Request(
                "secretsmanager:GetSecretValue",
                "aws_secretsmanager_secret.youtube_api_key.arn",
                Map.of()));
    for (String role : List.of("emr_job", "managed_flink")) {
      for (Request r : never) {
        assertEquals(role + ": " + r, Decision.IMPLICIT_DENY, decide(iam.role(role), r));
      }
      // an explicit deny wins: every request the job makes is refused without TLS
      Request write =
          requests.stream()
              .filter(r -> r.action().equals("s3:PutObject"))
              .findFirst()
              .orElseThrow();
      assertEquals(Decision.ALLOWED, decide(iam.role(role), write));
      assertEquals(Decision.EXPLICIT_DENY, decide(iam.role(role), S3Requests.withoutTls(write)));
    }
  }

  /**
   * The Redshift load by COPY: for each gold partition the run committed, the COPY statement the
   * loader runs (RedshiftCopy) names a prefix; Redshift, as the COPY role, lists it, locates the
   * bucket, reads each object under it and decrypts it.
   */
  @Test
  public void eachCopyTheRedshiftLoadRunsIsAllowedForTheCopyRole() {
    List<Statement> role = iam.role("redshift_copy");
    List<String> partitions =
        s3.listObjectsV2Paginator(b -> b.bucket(LAKE).prefix("gold/trending/")).contents().stream()
            .map(S3Object::key)
            .map(k -> k.substring(0, k.lastIndexOf('/') + 1))
            .distinct()
            .toList();
    assertThat(partitions.size(), greaterThan(3));
    List<Request> copies = new ArrayList<>();
    Map<String, String> tls = Map.of("aws:SecureTransport", "true", "s3:TlsVersion", "1.3");
    for (String p : partitions) {
      String copy = RedshiftCopy.copyGoldPartition("s3://" + LAKE + "/" + p, COPY_ROLE);
      String uri = copy.substring(copy.indexOf("FROM '") + 6, copy.indexOf("' IAM_ROLE"));
      String prefix = uri.substring(("s3://" + LAKE + "/").length());
      copies.add(
          new Request(
              "s3:ListBucket",
              bucketArn(LAKE),
              Map.of("s3:prefix", prefix, "aws:SecureTransport", "true")));
      copies.add(new Request("s3:GetBucketLocation", bucketArn(LAKE), tls));
      for (S3Object o : s3.listObjectsV2(b -> b.bucket(LAKE).prefix(prefix)).contents()) {
        copies.add(new Request("s3:GetObject", bucketArn(LAKE) + "/" + o.key(), tls));
        copies.add(new Request("kms:Decrypt", DATA_KEY, Map.of()));
      }
    }
    assertThat("redshift_copy", denied(role, copies), empty());
    String lake = bucketArn(LAKE);
    for (Request r :
        List.of(
            new Request(
                "s3:GetObject", lake + "/quarantine/statistics/region=us/part-00000.jsonl", tls),
            new Request("s3:GetObject", lake + "/_manifests/latest.json", tls),
            new Request("s3:ListBucket", lake, Map.of("s3:prefix", "quarantine/")),
            new Request("s3:PutObject", lake + "/gold/trending/x.parquet", tls),
            new Request("s3:GetObject", bucketArn(BRONZE) + "/raw_statistics/x.csv", tls))) {
      assertEquals("redshift_copy: " + r, Decision.IMPLICIT_DENY, decide(role, r));
    }
  }
}
