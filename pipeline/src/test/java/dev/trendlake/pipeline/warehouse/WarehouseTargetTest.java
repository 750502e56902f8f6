package dev.trendlake.pipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.trendlake.testkit.TestWarehouse;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** Options checks and the Redshift driver path, without a server. */
public class WarehouseTargetTest {

  private static List<String> problems(String output, String... args) {
    java.util.Map<String, String> v = new java.util.HashMap<>();
    for (String a : args) {
      v.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    List<String> problems = new ArrayList<>();
    WarehousePlan.check(
        v.get("warehouse"),
        v.get("warehouseUser"),
        v.getOrDefault("warehouseSchema", "trendlake"),
        v.get("warehouseSecretArn"),
        v.get("warehouseLoad"),
        v.get("redshiftCopyRoleArn"),
        5,
        output,
        !output.startsWith("s3://"),
        problems);
    return problems;
  }

  @Test
  public void copyLoadsNeedRedshiftAnS3OutputAndARole() {
    List<String> p =
        problems("/tmp/lake", "--warehouse=jdbc:postgresql://h:5432/db", "--warehouseLoad=copy");
    assertEquals(p.toString(), 3, p.size());
    assertThat(p.get(0), containsString("needs a jdbc:redshift:// warehouse"));
    assertThat(p.get(1), containsString("needs an s3:// --output"));
    assertThat(p.get(2), containsString("is not an IAM role ARN"));
    assertTrue(
        problems(
                "s3://bucket/lake",
                "--warehouse=jdbc:redshift://wg.example.com:5439/dev",
                "--warehouseLoad=copy",
                "--redshiftCopyRoleArn=arn:aws:iam::123456789012:role/copy")
            .isEmpty());
    assertThat(
        problems("s3://bucket/lake", "--warehouse=embedded").get(0),
        containsString("needs a local --output"));
    assertThat(
        problems("/tmp/lake", "--warehouse=mysql://x").get(0),
        containsString("must be none, embedded, or a jdbc"));
    assertThat(
        problems("/tmp/lake", "--warehouse=jdbc:redshift://admin:pw@h:5439/dev").get(0),
        containsString("must not carry a password or user info"));
  }

  @Test
  public void anUnreachableRedshiftFailsWithHostAndDatabaseAfterItsAttempts() throws Exception {
    int port = TestWarehouse.closedPort();
    WarehouseTarget t =
        new WarehouseTarget(
            Dialect.REDSHIFT,
            "jdbc:redshift://127.0.0.1:" + port + "/dev",
            "admin",
            "trendlake",
            null,
            WarehouseTarget.LoadMethod.JDBC,
            null,
            2,
            50);
    try (WarehouseLoader l = new WarehouseLoader(t, "r")) {
      WarehouseException e = assertThrows(WarehouseException.class, l::prepare);
      assertThat(e.getMessage(), containsString("host 127.0.0.1:" + port + ", database dev"));
      assertThat(e.getMessage(), containsString("REDSHIFT"));
      assertThat(e.getMessage(), containsString("after 2 attempts"));
    }
  }
}
