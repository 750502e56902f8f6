# Managed Service for Apache Flink: the same graph as an application of the service, the
# continuous alternative to the scheduled batch (var.deployment_mode). Runtime FLINK-1_19 matches
# the Flink the build uses (flink.version in pom.xml, checked by TerraformTest). The jar's manifest
# names the service entry point, which reads the property group "TrendlakeOptions" (one property
# per pipeline option) and sets the FlinkRunner itself. Parallelism is the service's
# ParallelismConfiguration, never a property, so autoscaling can change it.

# Log groups of every component: its name, and whether the deployment mode creates it.
locals {
  log_groups = {
    batch_workflow = ["/aws/vendedlogs/states/${local.name}-batch", local.batch_enabled]
    managed_flink  = ["/aws/kinesis-analytics/${local.name}", local.managed_flink_enabled]
    ingest         = ["/ecs/${local.name}-ingest", true]
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = { for g, d in local.log_groups : g => d[0] if d[1] }

  name              = each.value
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_log_stream" "managed_flink" {
  count = local.managed_flink_enabled ? 1 : 0

  name           = "application"
  log_group_name = aws_cloudwatch_log_group.this["managed_flink"].name
}

resource "aws_kinesisanalyticsv2_application" "trendlake" {
  count = local.managed_flink_enabled ? 1 : 0

  name                   = local.name
  description            = "trendlake: bronze to silver and gold Parquet on Apache Beam's FlinkRunner"
  runtime_environment    = "FLINK-1_19"
  service_execution_role = aws_iam_role.this["managed_flink"].arn
  start_application      = var.managed_flink_start

  application_configuration {
    application_code_configuration {
      code_content_type = "ZIPFILE"

      code_content {
        s3_content_location {
          bucket_arn = aws_s3_bucket.this["artifacts"].arn
          file_key   = var.managed_flink_jar_key
        }
      }
    }

    environment_properties {
      property_group {
        property_group_id = "TrendlakeOptions"
        property_map      = merge(local.job_options, var.managed_flink_continuous ? tomap({ continuous = "true" }) : tomap({}))
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

    # In the VPC, to reach the private Redshift workgroup; S3, CloudWatch and Secrets Manager
    # through the gateway and interface endpoints (network.tf).
    vpc_configuration {
      subnet_ids         = var.private_subnet_ids
      security_group_ids = [aws_security_group.this["managed_flink"].id]
    }
  }

  cloudwatch_logging_options {
    log_stream_arn = aws_cloudwatch_log_stream.managed_flink[0].arn
  }

  depends_on = [aws_iam_role_policy.this, aws_iam_role_policy_attachment.this]
}
