package dev.trendlake.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * Where the API key comes from: an AWS Secrets Manager secret when {@code --apiKeySecretArn} is
 * given (the scheduled job's way: no key in the task definition), else the source's environment
 * variable ({@code YOUTUBE_API_KEY}, {@code TMDB_API_KEY}). The key is never part of a message this
 * class produces.
 */
public final class ApiKeys {
  private ApiKeys() {}

  /** YouTube's variable. */
  public static final String ENV = Source.YOUTUBE.keyEnv();

  /** No usable key; the message says where it was looked for. */
  public static final class MissingKeyException extends Exception {
    MissingKeyException(String message) {
      super(message);
    }
  }

  /**
   * The key from the secret {@code secretArn} when one is named, else from the variable {@code
   * envName} of {@code env}.
   */
  public static String resolve(
      String envName, String secretArn, String secretsEndpoint, Map<String, String> env)
      throws MissingKeyException {
    if (secretArn != null && !secretArn.isBlank()) {
      return fromSecret(envName, secretArn.strip(), secretsEndpoint);
    }
    String key = env.get(envName);
    if (key == null || key.isBlank()) {
      throw new MissingKeyException(
          "no API key: set the environment variable "
              + envName
              + " or pass --apiKeySecretArn=<secret ARN>"
              + " (docs/ingest.md says how to get a key)");
    }
    return key.strip();
  }

  static String fromSecret(String envName, String arn, String endpoint) throws MissingKeyException {
    SecretsManagerClientBuilder b =
        SecretsManagerClient.builder().httpClientBuilder(ApacheHttpClient.builder());
    String[] parts = arn.split(":");
    if (parts.length > 3 && parts[0].equals("arn") && !parts[3].isEmpty()) {
      b.region(Region.of(parts[3])); // the secret's own region, whatever the default is
    }
    if (endpoint != null && !endpoint.isBlank()) {
      b.endpointOverride(URI.create(endpoint));
    }
    String secret;
    try (SecretsManagerClient client = b.build()) {
      secret =
          client
              .getSecretValue(GetSecretValueRequest.builder().secretId(arn).build())
              .secretString();
    } catch (SdkException e) {
      throw new MissingKeyException(
          "could not read the API key from Secrets Manager secret " + arn + ": " + e.getMessage());
    }
    if (secret == null || secret.isBlank()) {
      throw new MissingKeyException(
          "Secrets Manager secret "
              + arn
              + " has no SecretString (a binary secret is not supported)");
    }
    return parseSecret(envName, secret, arn);
  }

  /**
   * Plain text is the key; JSON is an object with a field named as the environment variable {@code
   * envName} (or apiKey, api_key, key, or its single field).
   */
  static String parseSecret(String envName, String secret, String arn) throws MissingKeyException {
    String s = secret.strip();
    if (!s.startsWith("{")) {
      return s;
    }
    JsonNode o;
    try {
      o = new ObjectMapper().readTree(s);
    } catch (Exception e) {
      throw new MissingKeyException(
          "Secrets Manager secret " + arn + " looks like JSON but does not parse");
    }
    for (String f : new String[] {envName, "apiKey", "api_key", "key"}) {
      if (o.path(f).isTextual() && !o.path(f).asText().isBlank()) {
        return o.path(f).asText().strip();
      }
    }
    if (o.size() == 1) {
      Iterator<JsonNode> it = o.elements();
      JsonNode only = it.next();
      if (only.isTextual() && !only.asText().isBlank()) {
        return only.asText().strip();
      }
    }
    throw new MissingKeyException(
        "Secrets Manager secret "
            + arn
            + " is JSON without a "
            + envName
            + " field: store the key as plain text or as {\""
            + envName
            + "\": \"...\"}");
  }
}
