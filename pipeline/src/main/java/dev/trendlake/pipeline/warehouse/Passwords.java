package dev.trendlake.pipeline.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.pipeline.aws.AwsEndpoints;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * Resolves warehouse credentials on the worker that connects, never on the command line: from AWS
 * Secrets Manager (the usual Redshift secret JSON, {@code {"username":..,"password":..}}) when a
 * secret ARN is given, else from {@value #ENV}. Every password read is registered with {@link
 * Secrets} so it is masked in any message.
 */
public final class Passwords {
  private Passwords() {}

  public static final String ENV = "TRENDLAKE_WAREHOUSE_PASSWORD";

  /** User and password; either may be null (embedded PostgreSQL trusts local connections). */
  public record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user="
          + user
          + ", password="
          + (password == null ? "none" : "****")
          + "]";
    }
  }

  public static Credentials resolve(String user, String secretArn) {
    if (secretArn != null && !secretArn.isEmpty()) {
      JsonNode secret;
      try (SecretsManagerClient sm =
          AwsEndpoints.apply(SecretsManagerClient.builder(), AwsEndpoints.SECRETS_MANAGER)
              .build()) {
        String json =
            sm.getSecretValue(GetSecretValueRequest.builder().secretId(secretArn).build())
                .secretString();
        secret = new ObjectMapper().readTree(json);
      } catch (Exception e) {
        throw new WarehouseException(
            "could not read the warehouse secret "
                + secretArn
                + " from AWS Secrets Manager ("
                + e.getClass().getSimpleName()
                + "): check the ARN, the region and the permission secretsmanager:GetSecretValue");
      }
      String password = secret.path("password").asText(null);
      if (password == null) {
        throw new WarehouseException(
            "the warehouse secret " + secretArn + " has no \"password\" field");
      }
      Secrets.remember(password);
      String u = user != null ? user : secret.path("username").asText(null);
      return new Credentials(u, password);
    }
    String password = System.getenv(ENV);
    if (password != null && password.isEmpty()) {
      password = null;
    }
    Secrets.remember(password);
    return new Credentials(user, password);
  }
}
