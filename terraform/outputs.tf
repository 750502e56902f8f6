output "buckets" {
  description = "Bucket names: bronze (ingest uploads raw_statistics/, raw_statistics_reference_data/, raw_api/), lake (the job's --output: silver/, gold/, quarantine/, _manifests/), artifacts (jars/, athena-results/, emr-logs/)."
  value       = { for k, b in aws_s3_bucket.this : k => b.id }
}

output "jar_s3_uri" {
  description = "Where to upload the bundled jar before a run (EMR step, Managed Flink, and ingest until its own jar exists)."
  value       = local.jar_uri
}

output "batch_state_machine_arn" {
  description = "State machine that runs ingest and one batch on a transient EMR cluster (null when deployment_mode is continuous_managed_flink)."
  value       = one(aws_sfn_state_machine.batch[*].arn)
}

output "managed_flink_application_name" {
  description = "Name of the Managed Service for Apache Flink application (null when deployment_mode is scheduled_emr)."
  value       = one(aws_kinesisanalyticsv2_application.trendlake[*].name)
}

output "redshift" {
  description = "Redshift Serverless: the workgroup's private endpoint address and port, the database, the Secrets Manager secret with the admin password (never the password), and the COPY role."
  value = {
    address    = aws_redshiftserverless_workgroup.trendlake.endpoint[0].address
    port       = aws_redshiftserverless_workgroup.trendlake.endpoint[0].port
    database   = var.redshift_database
    secret_arn = aws_redshiftserverless_namespace.trendlake.admin_password_secret_arn
    copy_role  = aws_iam_role.this["redshift_copy"].arn
  }
}

output "ingest" {
  description = "Ingest: the secret to put the YouTube API key in, the ECS cluster and task definition that run it, its log group, and the role for uploaders outside this deployment (null without ingestion_principal_arns)."
  value = {
    api_key_secret_arn = aws_secretsmanager_secret.youtube_api_key.arn
    cluster            = aws_ecs_cluster.ingest.name
    task_definition    = aws_ecs_task_definition.ingest.family
    log_group          = aws_cloudwatch_log_group.this["ingest"].name
    uploader_role_arn  = one(aws_iam_role.ingestion[*].arn)
  }
}

output "query" {
  description = "The Glue database (tables gold_trending, silver_statistics, silver_categories, quarantine_statistics) and the Athena workgroup with the saved queries."
  value       = { glue_database = aws_glue_catalog_database.trendlake.name, athena_workgroup = aws_athena_workgroup.trendlake.name }
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm and failed run is sent to."
  value       = aws_sns_topic.alarms.arn
}
