package dev.trendlake.pipeline.warehouse;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where and how a run loads the star schema. There is deliberately no password option: options end
 * up in display data, logs and the Flink job graph. The password comes from the environment
 * ({@value Passwords#ENV}) or from AWS Secrets Manager ({@code --warehouseSecretArn}), read on the
 * worker when it connects.
 */
public interface WarehouseOptions extends PipelineOptions {

  @Description(
      "Warehouse to load after gold is committed: 'none', 'embedded' (a local PostgreSQL 17 whose"
          + " data lives under <output>/warehouse; the default of ./trendlake run), or a JDBC URL"
          + " jdbc:postgresql://host:port/db or jdbc:redshift://host:port/db (no password in the"
          + " URL).")
  @Default.String("none")
  String getWarehouse();

  void setWarehouse(String value);

  @Description(
      "Warehouse user (default: the username of --warehouseSecretArn, or 'postgres' for embedded).")
  String getWarehouseUser();

  void setWarehouseUser(String value);

  @Description("Warehouse schema that holds the star schema; created if absent.")
  @Default.String("trendlake")
  String getWarehouseSchema();

  void setWarehouseSchema(String value);

  @Description(
      "AWS Secrets Manager secret (ARN) holding the warehouse credentials as the usual Redshift"
          + " secret JSON ({\"username\":...,\"password\":...}). Without it the password comes from"
          + " TRENDLAKE_WAREHOUSE_PASSWORD.")
  String getWarehouseSecretArn();

  void setWarehouseSecretArn(String value);

  @Description(
      "How staging tables are filled: 'jdbc' (COPY protocol on PostgreSQL, batched inserts on"
          + " Redshift) or 'copy' (Redshift only: COPY ... FROM the gold Parquet in S3 ... FORMAT"
          + " AS PARQUET; needs --redshiftCopyRoleArn and an s3:// --output).")
  @Default.String("jdbc")
  String getWarehouseLoad();

  void setWarehouseLoad(String value);

  @Description("IAM role Redshift assumes to read the gold Parquet for --warehouseLoad=copy.")
  String getRedshiftCopyRoleArn();

  void setRedshiftCopyRoleArn(String value);

  @Description(
      "Attempts per warehouse step before the run fails (connection lost, server restarting...).")
  @Default.Integer(5)
  int getWarehouseAttempts();

  void setWarehouseAttempts(int value);
}
