# The batch path: EventBridge Scheduler -> Step Functions -> a transient EMR 7.x cluster with Flink
# that runs the bundled jar as one step and is terminated whatever happens.
#
#   CreateCluster (createCluster.sync) -> RunJob (addStep.sync) -> TerminateCluster -> done
#        | failure                           | failure
#        v                                   v
#   NotifyFailure <------------------ TerminateAfterFailure
#        v
#     Failed  (the execution fails: the ExecutionsFailed alarm in monitoring.tf fires too)

locals {
  emr_subnet_id = element(var.private_subnet_ids, 0)

  # The job arguments; `flink run` submits to a per-job YARN application and Beam's FlinkRunner
  # picks up that environment with --flinkMaster=[auto]. The jar is copied from S3 first because
  # `flink run` takes a local file.
  emr_job_args = join(" ", [
    "run",
    "--runner=FlinkRunner",
    "--flinkMaster=[auto]",
    "--parallelism=${var.emr_parallelism}",
    "--input=${local.bronze_uri}",
    "--output=${local.lake_uri}",
    "--warehouse=${var.warehouse}",
    "--maxFileMegabytes=${var.max_file_megabytes}",
    "--awsRegion=${var.aws_region}",
    "--cloudWatchNamespace=${var.metrics_namespace}",
  ])
  emr_step_command = "aws s3 cp ${local.jar_uri} /home/hadoop/trendlake-bundled.jar && flink run -m yarn-cluster /home/hadoop/trendlake-bundled.jar ${local.emr_job_args}"
}

# ---- network: EMR-managed security groups, tagged for AmazonEMRServicePolicy_v2 --------------

resource "aws_security_group" "emr_primary" {
  name                   = "${local.name}-emr-primary"
  description            = "EMR primary node of the trendlake batch cluster (rules managed by EMR)"
  vpc_id                 = var.vpc_id
  revoke_rules_on_delete = true

  tags = {
    "for-use-with-amazon-emr-managed-policies" = "true"
  }
}

resource "aws_security_group" "emr_core" {
  name                   = "${local.name}-emr-core"
  description            = "EMR core nodes of the trendlake batch cluster (rules managed by EMR)"
  vpc_id                 = var.vpc_id
  revoke_rules_on_delete = true

  tags = {
    "for-use-with-amazon-emr-managed-policies" = "true"
  }
}

resource "aws_security_group" "emr_service_access" {
  name                   = "${local.name}-emr-service-access"
  description            = "EMR service access to a cluster in a private subnet"
  vpc_id                 = var.vpc_id
  revoke_rules_on_delete = true

  tags = {
    "for-use-with-amazon-emr-managed-policies" = "true"
  }
}

# Nodes reach S3 (gateway endpoint or NAT), CloudWatch and the EMR control plane over HTTPS.
resource "aws_vpc_security_group_egress_rule" "emr_primary_https" {
  security_group_id = aws_security_group.emr_primary.id
  description       = "HTTPS to AWS APIs (S3, CloudWatch, EMR)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "emr_core_https" {
  security_group_id = aws_security_group.emr_core.id
  description       = "HTTPS to AWS APIs (S3, CloudWatch, EMR)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "emr_service_access_from_primary" {
  security_group_id            = aws_security_group.emr_service_access.id
  description                  = "Primary node to the EMR service agent"
  ip_protocol                  = "tcp"
  from_port                    = 9443
  to_port                      = 9443
  referenced_security_group_id = aws_security_group.emr_primary.id
}

resource "aws_vpc_security_group_egress_rule" "emr_service_access_to_primary" {
  security_group_id            = aws_security_group.emr_service_access.id
  description                  = "EMR service to the primary node"
  ip_protocol                  = "tcp"
  from_port                    = 8443
  to_port                      = 8443
  referenced_security_group_id = aws_security_group.emr_primary.id
}

resource "aws_vpc_security_group_egress_rule" "emr_service_access_to_core" {
  security_group_id            = aws_security_group.emr_service_access.id
  description                  = "EMR service to the core nodes"
  ip_protocol                  = "tcp"
  from_port                    = 8443
  to_port                      = 8443
  referenced_security_group_id = aws_security_group.emr_core.id
}

# ---- Step Functions ----------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "batch_workflow" {
  name              = "/aws/vendedlogs/states/${local.name}-batch"
  retention_in_days = var.log_retention_days
}

resource "aws_sfn_state_machine" "batch" {
  name     = "${local.name}-batch"
  role_arn = aws_iam_role.batch_workflow.arn

  # Errors only, without execution data: inputs and outputs stay out of the logs.
  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.batch_workflow.arn}:*"
    include_execution_data = false
    level                  = "ERROR"
  }

  definition = jsonencode({
    Comment        = "trendlake batch run on a transient EMR cluster"
    StartAt        = "CreateCluster"
    TimeoutSeconds = var.batch_timeout_minutes * 60
    States = {
      CreateCluster = {
        Type     = "Task"
        Resource = "arn:${local.partition}:states:::elasticmapreduce:createCluster.sync"
        Parameters = {
          Name              = "${local.name}-batch"
          ReleaseLabel      = var.emr_release_label
          Applications      = [{ Name = "Flink" }]
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
          ServiceRole       = aws_iam_role.emr_service.arn
          JobFlowRole       = aws_iam_instance_profile.emr_job.name
          LogUri            = "s3://${local.artifacts_bucket_name}/emr-logs/"
          VisibleToAllUsers = true
          Tags = [
            { Key = "project", Value = var.project },
            { Key = "environment", Value = var.environment },
          ]
          Instances = {
            KeepJobFlowAliveWhenNoSteps   = true
            TerminationProtected          = false
            Ec2SubnetId                   = local.emr_subnet_id
            EmrManagedMasterSecurityGroup = aws_security_group.emr_primary.id
            EmrManagedSlaveSecurityGroup  = aws_security_group.emr_core.id
            ServiceAccessSecurityGroup    = aws_security_group.emr_service_access.id
            InstanceGroups = [
              {
                Name          = "primary"
                InstanceRole  = "MASTER"
                InstanceType  = var.emr_primary_instance_type
                InstanceCount = 1
              },
              {
                Name          = "core"
                InstanceRole  = "CORE"
                InstanceType  = var.emr_core_instance_type
                InstanceCount = var.emr_core_instance_count
              },
            ]
          }
        }
        ResultPath = "$.cluster"
        Next       = "RunJob"
        Catch      = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.error", Next = "NotifyFailure" }]
      }
      RunJob = {
        Type     = "Task"
        Resource = "arn:${local.partition}:states:::elasticmapreduce:addStep.sync"
        Parameters = {
          "ClusterId.$" = "$.cluster.ClusterId"
          Step = {
            Name            = "trendlake run"
            ActionOnFailure = "CONTINUE"
            HadoopJarStep = {
              Jar  = "command-runner.jar"
              Args = ["bash", "-c", local.emr_step_command]
            }
          }
        }
        ResultPath = "$.step"
        Next       = "TerminateCluster"
        Catch      = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.error", Next = "TerminateAfterFailure" }]
      }
      TerminateCluster = {
        Type       = "Task"
        Resource   = "arn:${local.partition}:states:::elasticmapreduce:terminateCluster.sync"
        Parameters = { "ClusterId.$" = "$.cluster.ClusterId" }
        ResultPath = "$.terminated"
        End        = true
        Catch      = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.error", Next = "NotifyFailure" }]
      }
      TerminateAfterFailure = {
        Type       = "Task"
        Resource   = "arn:${local.partition}:states:::elasticmapreduce:terminateCluster.sync"
        Parameters = { "ClusterId.$" = "$.cluster.ClusterId" }
        ResultPath = "$.terminated"
        Next       = "NotifyFailure"
        Catch      = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.terminateError", Next = "NotifyFailure" }]
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

# ---- EventBridge Scheduler ---------------------------------------------------------------------

resource "aws_scheduler_schedule" "batch" {
  name                         = "${local.name}-batch"
  description                  = "Starts the trendlake batch run"
  schedule_expression          = var.batch_schedule_expression
  schedule_expression_timezone = var.batch_schedule_timezone
  state                        = var.batch_schedule_enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_sfn_state_machine.batch.arn
    role_arn = aws_iam_role.batch_scheduler.arn
    input    = jsonencode({ trigger = "schedule" })

    # A missed daily run is better than two clusters racing on the same output.
    retry_policy {
      maximum_retry_attempts = 0
    }
  }
}
