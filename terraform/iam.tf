# IAM, least privilege. One role per actor, each policy an aws_iam_policy_document so that
# TerraformTest can read every statement: no wildcard actions, no "*" resource on data, and S3
# object access always names a prefix (bronze raw_statistics/, lake silver/, gold/, ...).
#
#   emr_service      the EMR service (cluster lifecycle; AWS managed policy v2 + PassRole)
#   emr_job          EC2 instance profile of the cluster nodes: the batch job itself
#   managed_flink    the Managed Service for Apache Flink application
#   redshift_copy    Redshift Serverless COPY from silver/ and gold/
#   ingestion        whoever uploads bronze (a pipeline, an operator)
#   batch_workflow   the Step Functions state machine (create cluster, add step, terminate)
#   batch_scheduler  EventBridge Scheduler starting the state machine
#
# The job's data access (emr_job and managed_flink run the same graph) is one managed policy.

# ---- the job's data access (EMR job role and Managed Flink role) -------------------------------

data "aws_iam_policy_document" "job_data" {
  statement {
    sid     = "ListBronzeInput"
    actions = ["s3:ListBucket"]
    resources = [aws_s3_bucket.bronze.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["raw_statistics/*", "raw_statistics_reference_data/*"]
    }
  }

  statement {
    sid     = "ReadBronzeInput"
    actions = ["s3:GetObject"]
    resources = [
      "${aws_s3_bucket.bronze.arn}/raw_statistics/*",
      "${aws_s3_bucket.bronze.arn}/raw_statistics_reference_data/*",
    ]
  }

  statement {
    sid       = "ListLakeOutput"
    actions   = ["s3:ListBucket", "s3:ListBucketMultipartUploads"]
    resources = [aws_s3_bucket.lake.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["silver/*", "gold/*", "quarantine/*", "_manifests/*", "_staging/*"]
    }
  }

  # Staged commit: write under _staging/<run-id>/, copy to the final name, delete stale files.
  statement {
    sid = "WriteLakeOutput"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = [
      "${aws_s3_bucket.lake.arn}/silver/*",
      "${aws_s3_bucket.lake.arn}/gold/*",
      "${aws_s3_bucket.lake.arn}/quarantine/*",
      "${aws_s3_bucket.lake.arn}/_manifests/*",
      "${aws_s3_bucket.lake.arn}/_staging/*",
    ]
  }

  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.data.arn]
  }

  # PutMetricData has no resource-level permissions: the namespace condition scopes it.
  statement {
    sid       = "PublishQuarantineMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [var.metrics_namespace]
    }
  }
}

resource "aws_iam_policy" "job_data" {
  name        = "${local.name}-job-data"
  description = "trendlake job: read bronze input, write the lake prefixes, publish its metrics"
  policy      = data.aws_iam_policy_document.job_data.json
}

# ---- EMR service role --------------------------------------------------------------------------

data "aws_iam_policy_document" "emr_service_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["elasticmapreduce.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "emr_service" {
  name               = "${local.name}-emr-service"
  assume_role_policy = data.aws_iam_policy_document.emr_service_trust.json
}

# AWS's v2 service policy only acts on network resources tagged
# for-use-with-amazon-emr-managed-policies=true (the subnets and the security groups in emr.tf).
resource "aws_iam_role_policy_attachment" "emr_service" {
  role       = aws_iam_role.emr_service.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2"
}

data "aws_iam_policy_document" "emr_service_pass_job_role" {
  statement {
    sid       = "PassJobRoleToNodes"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.emr_job.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "emr_service_pass_job_role" {
  name   = "pass-job-role"
  role   = aws_iam_role.emr_service.id
  policy = data.aws_iam_policy_document.emr_service_pass_job_role.json
}

# ---- EMR job role (EC2 instance profile) -------------------------------------------------------

data "aws_iam_policy_document" "emr_job_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "emr_job" {
  name               = "${local.name}-emr-job"
  assume_role_policy = data.aws_iam_policy_document.emr_job_trust.json
}

resource "aws_iam_instance_profile" "emr_job" {
  name = "${local.name}-emr-job"
  role = aws_iam_role.emr_job.name
}

resource "aws_iam_role_policy_attachment" "emr_job_data" {
  role       = aws_iam_role.emr_job.name
  policy_arn = aws_iam_policy.job_data.arn
}

data "aws_iam_policy_document" "emr_job_cluster" {
  statement {
    sid       = "ReadJobJar"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/${var.jar_key}"]
  }

  statement {
    sid       = "WriteClusterLogs"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/emr-logs/*"]
  }

  # EMR's own regional bucket (bootstrap scripts and libraries), read-only; not our data.
  statement {
    sid       = "ReadEmrRegionalBucket"
    actions   = ["s3:GetObject"]
    resources = ["arn:${local.partition}:s3:::${var.aws_region}.elasticmapreduce/*"]
  }
}

resource "aws_iam_role_policy" "emr_job_cluster" {
  name   = "cluster"
  role   = aws_iam_role.emr_job.id
  policy = data.aws_iam_policy_document.emr_job_cluster.json
}

# ---- Managed Service for Apache Flink ----------------------------------------------------------

data "aws_iam_policy_document" "managed_flink_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["kinesisanalytics.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "managed_flink" {
  name               = "${local.name}-managed-flink"
  assume_role_policy = data.aws_iam_policy_document.managed_flink_trust.json
}

resource "aws_iam_role_policy_attachment" "managed_flink_data" {
  role       = aws_iam_role.managed_flink.name
  policy_arn = aws_iam_policy.job_data.arn
}

data "aws_iam_policy_document" "managed_flink_app" {
  statement {
    sid       = "ReadApplicationJar"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${aws_s3_bucket.artifacts.arn}/${var.managed_flink_jar_key}"]
  }

  statement {
    sid       = "FindLogGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["arn:${local.partition}:logs:${var.aws_region}:${local.account_id}:log-group:*"]
  }

  statement {
    sid       = "FindLogStreams"
    actions   = ["logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.managed_flink.arn}:log-stream:*"]
  }

  statement {
    sid       = "WriteApplicationLog"
    actions   = ["logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.managed_flink.arn}:log-stream:${aws_cloudwatch_log_stream.managed_flink.name}"]
  }
}

resource "aws_iam_role_policy" "managed_flink_app" {
  name   = "application"
  role   = aws_iam_role.managed_flink.id
  policy = data.aws_iam_policy_document.managed_flink_app.json
}

# ---- Redshift COPY -----------------------------------------------------------------------------

data "aws_iam_policy_document" "redshift_copy_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "redshift_copy" {
  name               = "${local.name}-redshift-copy"
  assume_role_policy = data.aws_iam_policy_document.redshift_copy_trust.json
}

data "aws_iam_policy_document" "redshift_copy" {
  statement {
    sid       = "ListSilverAndGold"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.lake.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["silver/*", "gold/*"]
    }
  }

  statement {
    sid       = "ReadSilverAndGold"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.lake.arn}/silver/*", "${aws_s3_bucket.lake.arn}/gold/*"]
  }

  statement {
    sid       = "DecryptData"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.data.arn]
  }
}

resource "aws_iam_role_policy" "redshift_copy" {
  name   = "copy-from-lake"
  role   = aws_iam_role.redshift_copy.id
  policy = data.aws_iam_policy_document.redshift_copy.json
}

# ---- ingestion (uploads bronze) ----------------------------------------------------------------

data "aws_iam_policy_document" "ingestion_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = length(var.ingestion_principal_arns) > 0 ? var.ingestion_principal_arns : ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_iam_role" "ingestion" {
  name               = "${local.name}-ingestion"
  assume_role_policy = data.aws_iam_policy_document.ingestion_trust.json
}

data "aws_iam_policy_document" "ingestion" {
  statement {
    sid       = "ListBronze"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.bronze.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["raw_statistics/*", "raw_statistics_reference_data/*"]
    }
  }

  # Write only: ingestion never deletes (versioning would keep the old copy anyway).
  statement {
    sid     = "UploadBronze"
    actions = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = [
      "${aws_s3_bucket.bronze.arn}/raw_statistics/*",
      "${aws_s3_bucket.bronze.arn}/raw_statistics_reference_data/*",
    ]
  }

  statement {
    sid       = "EncryptUploads"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.data.arn]
  }
}

resource "aws_iam_role_policy" "ingestion" {
  name   = "upload-bronze"
  role   = aws_iam_role.ingestion.id
  policy = data.aws_iam_policy_document.ingestion.json
}

# ---- Step Functions: the batch workflow --------------------------------------------------------

data "aws_iam_policy_document" "batch_workflow_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "batch_workflow" {
  name               = "${local.name}-batch-workflow"
  assume_role_policy = data.aws_iam_policy_document.batch_workflow_trust.json
}

data "aws_iam_policy_document" "batch_workflow" {
  # RunJobFlow has no resource type: a cluster ARN exists only after the call.
  statement {
    sid       = "CreateCluster"
    actions   = ["elasticmapreduce:RunJobFlow"]
    resources = ["*"]
  }

  statement {
    sid = "DriveCluster"
    actions = [
      "elasticmapreduce:DescribeCluster",
      "elasticmapreduce:TerminateJobFlows",
      "elasticmapreduce:AddJobFlowSteps",
      "elasticmapreduce:DescribeStep",
      "elasticmapreduce:CancelSteps",
      "elasticmapreduce:AddTags",
    ]
    resources = ["arn:${local.partition}:elasticmapreduce:${var.aws_region}:${local.account_id}:cluster/*"]
  }

  statement {
    sid       = "PassClusterRoles"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.emr_service.arn, aws_iam_role.emr_job.arn]
  }

  # The .sync integrations wait on EventBridge rules that Step Functions manages.
  statement {
    sid     = "ManagedEmrEventRules"
    actions = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
    resources = [
      "arn:${local.partition}:events:${var.aws_region}:${local.account_id}:rule/StepFunctionsGetEventsForEMRRunJobFlowRule",
      "arn:${local.partition}:events:${var.aws_region}:${local.account_id}:rule/StepFunctionsGetEventsForEMRAddJobFlowStepsRule",
      "arn:${local.partition}:events:${var.aws_region}:${local.account_id}:rule/StepFunctionsGetEventsForEMRTerminateJobFlowsRule",
    ]
  }

  statement {
    sid       = "NotifyFailure"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]
  }

  # Vended log delivery to CloudWatch Logs is configured through account-level APIs.
  statement {
    sid = "ExecutionLogDelivery"
    actions = [
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "batch_workflow" {
  name   = "run-batch-on-emr"
  role   = aws_iam_role.batch_workflow.id
  policy = data.aws_iam_policy_document.batch_workflow.json
}

# ---- EventBridge Scheduler ---------------------------------------------------------------------

data "aws_iam_policy_document" "batch_scheduler_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "batch_scheduler" {
  name               = "${local.name}-batch-scheduler"
  assume_role_policy = data.aws_iam_policy_document.batch_scheduler_trust.json
}

data "aws_iam_policy_document" "batch_scheduler" {
  statement {
    sid       = "StartBatchRun"
    actions   = ["states:StartExecution"]
    resources = [aws_sfn_state_machine.batch.arn]
  }
}

resource "aws_iam_role_policy" "batch_scheduler" {
  name   = "start-batch"
  role   = aws_iam_role.batch_scheduler.id
  policy = data.aws_iam_policy_document.batch_scheduler.json
}
