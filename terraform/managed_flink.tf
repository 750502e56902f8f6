# Managed Service for Apache Flink: the same graph as an application of the service, the
# continuous alternative to the scheduled batch (var.deployment_mode). Runtime FLINK-1_19 matches
# the Flink the build uses (flink.version in pom.xml, checked by TerraformTest). The jar's manifest
# names the service entry point, which reads the property group "TrendlakeOptions" (one property
# per pipeline option) and sets the FlinkRunner itself. Parallelism is the service's
# ParallelismConfiguration, never a property, so autoscaling can change it.
#
# By default (var.managed_flink_continuous) the application is a continuous job: it watches
# bronze and commits each new statistics file shortly after it lands, until it is stopped. Its
# state (the files in flight, the rows waiting per partition, the commit's pending events) lives
# in Flink's checkpoints and the service's snapshots, so a stop takes a snapshot and a start
# restores the latest one. continuous = false runs the batch graph once instead.

# Log groups of every component: its name, and whether the deployment mode creates it.
locals {
  log_groups = {
    batch_workflow = ["/aws/vendedlogs/states/${local.name}-batch", local.batch_enabled]
    managed_flink  = ["/aws/kinesis-analytics/${local.name}", local.managed_flink_enabled]
    ingest         = ["/ecs/${local.name}-ingest", true]
  }
}

# The property group: the job's options (the same map the EMR step gets), whether the job is
# continuous, and, only then, its watch and commit timing (a batch run refuses those options).
locals {
  managed_flink_properties = merge(
    local.job_options,
    { continuous = tostring(var.managed_flink_continuous) },
    var.managed_flink_continuous ? tomap({ watchInterval = var.managed_flink_watch_interval, commitDelay = var.managed_flink_commit_delay }) : tomap({}),
  )
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
        property_map      = local.managed_flink_properties
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

    # A continuous job's state (files in flight, rows waiting per partition, events not committed
    # yet) is restored from the snapshot: the service takes one when the application is stopped
    # or updated, and the start below restores the latest. A batch graph keeps no state worth
    # restoring: a rerun recomputes and replaces its partitions.
    application_snapshot_configuration {
      snapshots_enabled = var.managed_flink_continuous
    }

    # Start from the latest snapshot (with no snapshot yet, the job starts afresh and goes on from
    # the lake's state). State the job can't map to its operators fails the start rather than
    # being dropped silently: a jar whose graph changed is started with
    # `start-application --run-configuration` SKIP_RESTORE_FROM_SNAPSHOT, once, by hand.
    run_configuration {
      application_restore_configuration {
        application_restore_type = "RESTORE_FROM_LATEST_SNAPSHOT"
      }

      flink_run_configuration {
        allow_non_restored_state = false
      }
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
