# Managed Service for Apache Flink: the same graph as an application of the service. Runtime
# FLINK-1_19 matches the Flink the build uses (flink.version in pom.xml, checked by TerraformTest).
# The jar's manifest names the service entry point, which reads the property group
# "TrendlakeOptions" (one property per pipeline option) and sets the FlinkRunner itself.

resource "aws_cloudwatch_log_group" "managed_flink" {
  name              = "/aws/kinesis-analytics/${local.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_log_stream" "managed_flink" {
  name           = "application"
  log_group_name = aws_cloudwatch_log_group.managed_flink.name
}

resource "aws_kinesisanalyticsv2_application" "trendlake" {
  count = var.managed_flink_enabled ? 1 : 0

  name                   = local.name
  description            = "trendlake: bronze to silver and gold Parquet on Apache Beam's FlinkRunner"
  runtime_environment    = "FLINK-1_19"
  service_execution_role = aws_iam_role.managed_flink.arn
  start_application      = var.managed_flink_start

  application_configuration {
    application_code_configuration {
      code_content_type = "ZIPFILE"

      code_content {
        s3_content_location {
          bucket_arn = aws_s3_bucket.artifacts.arn
          file_key   = var.managed_flink_jar_key
        }
      }
    }

    environment_properties {
      property_group {
        property_group_id = "TrendlakeOptions"

        property_map = {
          input               = local.bronze_uri
          output              = local.lake_uri
          warehouse           = var.warehouse
          maxFileMegabytes    = tostring(var.max_file_megabytes)
          parallelism         = tostring(var.managed_flink_parallelism)
          awsRegion           = var.aws_region
          cloudWatchNamespace = var.metrics_namespace
        }
      }
    }

    flink_application_configuration {
      checkpoint_configuration {
        configuration_type            = "CUSTOM"
        checkpointing_enabled         = true
        checkpoint_interval           = var.managed_flink_checkpoint_interval_ms
        min_pause_between_checkpoints = var.managed_flink_min_pause_between_checkpoints_ms
      }

      monitoring_configuration {
        configuration_type = "CUSTOM"
        log_level          = var.managed_flink_log_level
        metrics_level      = "APPLICATION"
      }

      parallelism_configuration {
        configuration_type   = "CUSTOM"
        auto_scaling_enabled = var.managed_flink_autoscaling
        parallelism          = var.managed_flink_parallelism
        parallelism_per_kpu  = var.managed_flink_parallelism_per_kpu
      }
    }

    # A batch graph keeps no state worth restoring: a rerun recomputes and replaces its partitions.
    application_snapshot_configuration {
      snapshots_enabled = false
    }
  }

  cloudwatch_logging_options {
    log_stream_arn = aws_cloudwatch_log_stream.managed_flink.arn
  }

  depends_on = [
    aws_iam_role_policy.managed_flink_app,
    aws_iam_role_policy_attachment.managed_flink_data,
  ]
}
