# The batch path: EventBridge Scheduler -> Step Functions -> ingest (ECS Fargate, ingest.tf) -> a
# transient EMR 7.x cluster with Flink that runs the bundled jar as one step and is terminated
# whatever happens.
#
#   Ingest (success or failure: ingest.tf reports a failed task)
#     |
#     +--------------------------------> CreateCluster -> RunJob --(success, failure or timeout)-->
#                                             | failure    TerminateCluster -> Outcome -> Succeeded
#                                             v                                  | RunJob failed
#                                        NotifyFailure <--------------------------+
#                                             v
#                                          Failed  (the ExecutionsFailed alarm fires too)
#
# Timeouts sit on the tasks, where Catch handles them (States.Timeout); a timeout of the whole
# execution could not be caught and would leave the cluster running. The cluster's own
# auto-termination ends it if the execution is stopped by hand.

locals {
  emr_subnet_id = element(var.private_subnet_ids, 0)

  # The job's options, shared by the EMR step and the Managed Flink property group (managed_flink.tf).
  # The warehouse password never travels: the job reads the Redshift-managed admin secret.
  job_base_options = {
    input               = local.bronze_uri
    output              = local.lake_uri
    maxFileMegabytes    = tostring(var.max_file_megabytes)
    awsRegion           = var.aws_region
    cloudWatchNamespace = var.metrics_namespace
  }
  warehouse_options = {
    warehouse           = "jdbc:redshift://${aws_redshiftserverless_workgroup.trendlake.endpoint[0].address}:${aws_redshiftserverless_workgroup.trendlake.endpoint[0].port}/${var.redshift_database}"
    warehouseSecretArn  = aws_redshiftserverless_namespace.trendlake.admin_password_secret_arn
    warehouseLoad       = var.warehouse_load
    redshiftCopyRoleArn = aws_iam_role.this["redshift_copy"].arn
  }
  job_options = merge(local.job_base_options, var.warehouse_load == "none" ? tomap({ warehouse = "none" }) : tomap(local.warehouse_options))

  # `flink run` submits to a per-job YARN application and Beam's FlinkRunner picks up that
  # environment with --flinkMaster=[auto]. The jar is copied from S3 first because `flink run`
  # takes a local file.
  emr_job_args     = join(" ", concat(["run", "--runner=FlinkRunner", "--flinkMaster=[auto]", "--parallelism=${var.emr_parallelism}"], [for k, v in local.job_options : "--${k}=${v}"]))
  emr_step_command = "aws s3 cp ${local.jar_uri} /home/hadoop/trendlake-bundled.jar && flink run -m yarn-cluster /home/hadoop/trendlake-bundled.jar ${local.emr_job_args}"

  emr_tls = {
    TLSCertificateConfiguration = {
      CertificateProviderType = "PEM"
      S3Object                = "s3://${local.bucket_names.artifacts}/${coalesce(var.emr_in_transit_tls_zip_key, "-")}"
    }
  }

  # The tag that scopes the workflow role to the clusters it created (iam.tf).
  emr_cluster_tag = { Key = "trendlake-batch", Value = local.name }
  # AmazonEMRServicePolicy_v2 manages only what carries this tag, which EMR copies from the cluster.
  emr_managed_tag = { Key = "for-use-with-amazon-emr-managed-policies", Value = "true" }
}

# EBS and local disks encrypted with their own key, IMDSv2 only, and TLS between the nodes when a
# certificate zip is given (var.emr_in_transit_tls_zip_key; docs/aws.md says why it is optional).
resource "aws_emr_security_configuration" "batch" {
  count = local.batch_enabled ? 1 : 0

  name = "${local.name}-batch"
  configuration = jsonencode({
    EncryptionConfiguration = merge({
      EnableAtRestEncryption    = true
      EnableInTransitEncryption = var.emr_in_transit_tls_zip_key != null
      AtRestEncryptionConfiguration = {
        S3EncryptionConfiguration = { EncryptionMode = "SSE-KMS", AwsKmsKey = aws_kms_key.data.arn }
        LocalDiskEncryptionConfiguration = {
          EncryptionKeyProviderType = "AwsKms"
          AwsKmsKey                 = aws_kms_key.emr_disks[0].arn
          EnableEbsEncryption       = true
        }
      }
    }, var.emr_in_transit_tls_zip_key == null ? tomap({}) : tomap({ InTransitEncryptionConfiguration = local.emr_tls }))
    InstanceMetadataServiceConfiguration = {
      MinimumInstanceMetadataServiceVersion = 2
      HttpPutResponseHopLimit               = 1
    }
  })
}

resource "aws_sfn_state_machine" "batch" {
  count = local.batch_enabled ? 1 : 0

  name     = "${local.name}-batch"
  role_arn = aws_iam_role.this["batch_workflow"].arn

  # Errors only, without execution data: inputs and outputs stay out of the logs.
  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.this["batch_workflow"].arn}:*"
    include_execution_data = false
    level                  = "ERROR"
  }

  definition = jsonencode({
    Comment = "trendlake batch run: ingest, then the job on a transient EMR cluster"
    StartAt = "Ingest"
    States = {
      # A failed region or a spent quota must not stop the transform of what was ingested; the
      # failure reaches the alarm topic through the ingest-failed event rule (ingest.tf).
      Ingest = {
        Type           = "Task"
        Resource       = "arn:${local.partition}:states:::ecs:runTask.sync"
        TimeoutSeconds = var.ingest_timeout_minutes * 60
        Parameters     = local.ingest_run_task
        ResultPath     = null
        Next           = "CreateCluster"
        Catch          = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.ingestError", Next = "CreateCluster" }]
      }
      CreateCluster = {
        Type           = "Task"
        Resource       = "arn:${local.partition}:states:::elasticmapreduce:createCluster.sync"
        TimeoutSeconds = 3600
        Parameters = {
          Name                  = "${local.name}-batch"
          ReleaseLabel          = var.emr_release_label
          Applications          = [{ Name = "Flink" }]
          SecurityConfiguration = one(aws_emr_security_configuration.batch[*].name)
          AutoTerminationPolicy = { IdleTimeout = var.emr_idle_timeout_minutes * 60 }
          # Flink 1.19 batch jobs default to the adaptive batch scheduler, which sizes each stage by
          # the bytes it consumes: the file-reading stage consumes only a list of file names, so it
          # would run with parallelism 1. trendlake sets --parallelism itself; the network fraction
          # gives Beam's many blocking exchanges their buffers (docs/flink.md).
          Configurations = [{
            Classification = "flink-conf"
            Properties = {
              "execution.batch.adaptive.auto-parallelism.enabled" = "false"
              "taskmanager.memory.network.fraction"               = "0.15"
            }
          }]
          ServiceRole       = lookup(local.role_arns, "emr_service", null)
          JobFlowRole       = one(aws_iam_instance_profile.emr_job[*].name)
          LogUri            = "s3://${local.bucket_names.artifacts}/emr-logs/"
          VisibleToAllUsers = true
          Tags              = [local.emr_cluster_tag, local.emr_managed_tag, { Key = "project", Value = var.project }, { Key = "environment", Value = var.environment }]
          Instances = {
            KeepJobFlowAliveWhenNoSteps   = true
            TerminationProtected          = false
            Ec2SubnetId                   = local.emr_subnet_id
            EmrManagedMasterSecurityGroup = lookup(local.security_group_ids, "emr_primary", null)
            EmrManagedSlaveSecurityGroup  = lookup(local.security_group_ids, "emr_core", null)
            ServiceAccessSecurityGroup    = lookup(local.security_group_ids, "emr_service_access", null)
            InstanceGroups = [
              { Name = "primary", InstanceRole = "MASTER", InstanceType = var.emr_primary_instance_type, InstanceCount = 1 },
              { Name = "core", InstanceRole = "CORE", InstanceType = var.emr_core_instance_type, InstanceCount = var.emr_core_instance_count },
            ]
          }
        }
        # Should the cluster start after this task failed or timed out, no step ever runs on it
        # and its auto-termination ends it.
        Catch      = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.error", Next = "NotifyFailure" }]
        ResultPath = "$.cluster"
        Next       = "RunJob"
      }
      RunJob = {
        Type           = "Task"
        Resource       = "arn:${local.partition}:states:::elasticmapreduce:addStep.sync"
        TimeoutSeconds = var.batch_timeout_minutes * 60
        Parameters = {
          "ClusterId.$" = "$.cluster.ClusterId"
          Step = {
            Name            = "trendlake run"
            ActionOnFailure = "CONTINUE"
            HadoopJarStep   = { Jar = "command-runner.jar", Args = ["bash", "-c", local.emr_step_command] }
          }
        }
        ResultPath = "$.step"
        Next       = "TerminateCluster"
        Catch      = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.error", Next = "TerminateCluster" }]
      }
      # Whatever RunJob did: the cluster goes, then the outcome decides.
      TerminateCluster = {
        Type       = "Task"
        Resource   = "arn:${local.partition}:states:::elasticmapreduce:terminateCluster.sync"
        Parameters = { "ClusterId.$" = "$.cluster.ClusterId" }
        ResultPath = "$.terminated"
        Next       = "Outcome"
        Catch      = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.error", Next = "NotifyFailure" }]
      }
      Outcome = {
        Type    = "Choice"
        Choices = [{ Variable = "$.error", IsPresent = true, Next = "NotifyFailure" }]
        Default = "Succeeded"
      }
      Succeeded = {
        Type = "Succeed"
      }
      NotifyFailure = {
        Type     = "Task"
        Resource = "arn:${local.partition}:states:::sns:publish"
        Parameters = {
          TopicArn    = aws_sns_topic.alarms.arn
          Subject     = "trendlake batch run failed"
          "Message.$" = "States.Format('trendlake batch run {} failed: {}', $$.Execution.Name, States.JsonToString($.error))"
        }
        ResultPath = "$.notified"
        Next       = "Failed"
      }
      Failed = {
        Type  = "Fail"
        Error = "BatchRunFailed"
        Cause = "The trendlake batch run failed; see the EMR step logs under emr-logs/ in the artifacts bucket."
      }
    }
  })
}

resource "aws_scheduler_schedule" "batch" {
  count = local.batch_enabled ? 1 : 0

  name                         = "${local.name}-batch"
  description                  = "Starts the trendlake batch run (ingest, then the job on EMR)"
  schedule_expression          = var.batch_schedule_expression
  schedule_expression_timezone = var.batch_schedule_timezone
  state                        = var.batch_schedule_enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_sfn_state_machine.batch[0].arn
    role_arn = aws_iam_role.this["batch_scheduler"].arn
    input    = jsonencode({ trigger = "schedule" })

    # A missed daily run is better than two clusters racing on the same output.
    retry_policy {
      maximum_retry_attempts = 0
    }
  }
}
