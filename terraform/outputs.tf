output "bronze_bucket" {
  description = "Bucket the ingestion side uploads raw_statistics/ and raw_statistics_reference_data/ to."
  value       = aws_s3_bucket.bronze.id
}

output "lake_bucket" {
  description = "Bucket the job writes silver/, gold/, quarantine/ and _manifests/ to (its --output)."
  value       = aws_s3_bucket.lake.id
}

output "artifacts_bucket" {
  description = "Bucket for the job jar (jars/), Athena results and EMR logs."
  value       = aws_s3_bucket.artifacts.id
}

output "jar_s3_uri" {
  description = "Where to upload the bundled jar before a run."
  value       = local.jar_uri
}

output "batch_state_machine_arn" {
  description = "State machine that runs one batch on a transient EMR cluster; start it by hand with aws stepfunctions start-execution."
  value       = aws_sfn_state_machine.batch.arn
}

output "managed_flink_application_name" {
  description = "Name of the Managed Service for Apache Flink application (empty when disabled)."
  value       = var.managed_flink_enabled ? local.name : ""
}

output "redshift_workgroup_endpoint" {
  description = "Private endpoint address of the Redshift Serverless workgroup."
  value       = aws_redshiftserverless_workgroup.trendlake.endpoint
}

output "redshift_admin_secret_arn" {
  description = "Secrets Manager secret holding the Redshift admin password (the password itself is never output)."
  value       = aws_redshiftserverless_namespace.trendlake.admin_password_secret_arn
}

output "redshift_copy_role_arn" {
  description = "IAM role for COPY from silver/ and gold/ (the namespace's default role)."
  value       = aws_iam_role.redshift_copy.arn
}

output "ingestion_role_arn" {
  description = "IAM role that may upload bronze."
  value       = aws_iam_role.ingestion.arn
}

output "glue_database" {
  description = "Glue database with the gold_trending, silver_statistics, silver_categories and quarantine_statistics tables."
  value       = aws_glue_catalog_database.trendlake.name
}

output "athena_workgroup" {
  description = "Athena workgroup with the named queries."
  value       = aws_athena_workgroup.trendlake.name
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm and failed batch run is sent to."
  value       = aws_sns_topic.alarms.arn
}
