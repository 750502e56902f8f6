# IAM, least privilege. One role per actor (local.roles), each policy an
# aws_iam_policy_document so that TerraformTest can read every statement: no wildcard actions, no
# "*" resource on data, and S3 object access always names a prefix. A role the deployment mode
# does not use is not created. ARNs of resources that may not exist in the chosen mode are built
# from their names, so every document is valid in every mode.

locals {
  # role => [created?, the services that assume it]
  roles = {
    emr_service      = [local.batch_enabled, ["elasticmapreduce.amazonaws.com"]]
    emr_job          = [local.batch_enabled, ["ec2.amazonaws.com"]]
    managed_flink    = [local.managed_flink_enabled, ["kinesisanalytics.amazonaws.com"]]
    redshift_copy    = [true, ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"]]
    ingest           = [true, ["ecs-tasks.amazonaws.com"]]
    ingest_execution = [true, ["ecs-tasks.amazonaws.com"]]
    batch_workflow   = [local.batch_enabled, ["states.amazonaws.com"]]
    batch_scheduler  = [true, ["scheduler.amazonaws.com"]]
  }
  # Each role's inline policy (kept apart from local.roles: the documents name resources, such
  # as the Redshift namespace, that themselves depend on roles).
  role_policies = { for r, d in local.roles : r => data.aws_iam_policy_document.this[r].json }
  created_roles = { for r, d in local.roles : r => d if d[0] }
  role_arns     = { for r, role in aws_iam_role.this : r => role.arn }

  # AWS managed or shared policies attached to roles, besides their inline policy.
  attachments = {
    emr_service   = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2"
    emr_job       = aws_iam_policy.job_data.arn
    managed_flink = aws_iam_policy.job_data.arn
  }

  role_arn   = "arn:${local.partition}:iam::${local.account_id}:role/${local.name}"
  lake_arn   = "arn:${local.partition}:s3:::${local.bucket_names.lake}"
  bronze_arn = "arn:${local.partition}:s3:::${local.bucket_names.bronze}"

  state_machine_arn = "arn:${local.partition}:states:${local.region_arn}:stateMachine:${local.name}-batch"
  ingest_task_arn   = "arn:${local.partition}:ecs:${local.region_arn}:task-definition/${local.name}-ingest:*"
  msf_log_group_arn = "arn:${local.partition}:logs:${local.region_arn}:log-group:/aws/kinesis-analytics/${local.name}"
}

# Each service may assume its role only for this account (aws:SourceAccount); EC2 instance
# profiles carry no source account.
data "aws_iam_policy_document" "trust" {
  for_each = local.created_roles

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = each.value[1]
    }

    dynamic "condition" {
      for_each = each.key == "emr_job" ? [] : [local.account_id]

      content {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.created_roles

  name               = "${local.name}-${replace(each.key, "_", "-")}"
  assume_role_policy = data.aws_iam_policy_document.trust[each.key].json
}

resource "aws_iam_role_policy" "this" {
  for_each = { for r, p in local.role_policies : r => p if local.roles[r][0] }

  name   = "permissions"
  role   = aws_iam_role.this[each.key].id
  policy = each.value
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = { for r, p in local.attachments : r => p if local.roles[r][0] }

  role       = aws_iam_role.this[each.key].name
  policy_arn = each.value
}

resource "aws_iam_instance_profile" "emr_job" {
  count = local.batch_enabled ? 1 : 0

  name = "${local.name}-emr-job"
  role = aws_iam_role.this["emr_job"].name
}

# Every Allow statement of every policy, as data: policy => sid => [actions, resources] or
# [actions, resources, [condition test, variable, values]]. Deny statements are in s3.tf.
locals {
  tagged_clusters = ["StringEquals", "aws:ResourceTag/${local.emr_cluster_tag.Key}", [local.emr_cluster_tag.Value]]
  ingest_cluster  = ["ArnEquals", "ecs:cluster", [aws_ecs_cluster.ingest.arn]]
  to_ecs_tasks    = ["StringEquals", "iam:PassedToService", ["ecs-tasks.amazonaws.com"]]
  ingest_roles    = ["${local.role_arn}-ingest", "${local.role_arn}-ingest-execution"]
  artifacts_arn   = "arn:${local.partition}:s3:::${local.bucket_names.artifacts}"
  account_ec2     = "arn:${local.partition}:ec2:${local.region_arn}"

  policies = {
    # The job's data access (EMR job role and Managed Flink role run the same graph). The lake
    # bucket is listed without an s3:prefix condition: the preflight lists the --output root with
    # an empty prefix, which no StringLike value matches, and every key in this bucket is the
    # job's own output; ListBucketMultipartUploads has no s3:prefix key at all. The warehouse load
    # reads the Redshift admin secret (encrypted with the data key). PutMetricData has no
    # resource-level permissions: the namespace condition scopes it.
    job_data = {
      ListBronzeInput          = [["s3:ListBucket"], [local.bronze_arn], ["StringLike", "s3:prefix", ["raw_statistics/*", "raw_statistics_reference_data/*"]]]
      ReadBronzeInput          = [["s3:GetObject"], ["${local.bronze_arn}/raw_statistics/*", "${local.bronze_arn}/raw_statistics_reference_data/*"]]
      ListLakeOutput           = [["s3:ListBucket", "s3:ListBucketMultipartUploads"], [local.lake_arn]]
      WriteLakeOutput          = [["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], ["${local.lake_arn}/silver/*", "${local.lake_arn}/gold/*", "${local.lake_arn}/quarantine/*", "${local.lake_arn}/_manifests/*", "${local.lake_arn}/_staging/*", "${local.lake_arn}/_lock.json"]]
      UseDataKey               = [["kms:Decrypt", "kms:GenerateDataKey"], [aws_kms_key.data.arn]]
      ReadWarehouseSecret      = [["secretsmanager:GetSecretValue"], [aws_redshiftserverless_namespace.trendlake.admin_password_secret_arn]]
      PublishQuarantineMetrics = [["cloudwatch:PutMetricData"], ["*"], ["StringEquals", "cloudwatch:namespace", [var.metrics_namespace]]]
    }

    # EMR service: AWS's AmazonEMRServicePolicy_v2 (attached) acts only on resources tagged
    # for-use-with-amazon-emr-managed-policies=true. Besides it: hand the job role to the nodes,
    # and use the disk key for the nodes' EBS volumes (grants only for AWS resources).
    emr_service = {
      PassJobRoleToNodes  = [["iam:PassRole"], ["${local.role_arn}-emr-job"], ["StringEquals", "iam:PassedToService", ["ec2.amazonaws.com"]]]
      EncryptNodeVolumes  = [["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"], aws_kms_key.emr_disks[*].arn]
      GrantVolumeKeyToEc2 = [["kms:CreateGrant"], aws_kms_key.emr_disks[*].arn, ["Bool", "kms:GrantIsForAWSResource", ["true"]]]
    }

    # The nodes (instance profile): the jar, their logs, EMR's own regional bucket (bootstrap
    # scripts, not our data), and the disk key for local disk encryption (LUKS).
    emr_job = {
      ReadJobJar            = [["s3:GetObject"], ["${local.artifacts_arn}/${var.jar_key}"]]
      WriteClusterLogs      = [["s3:PutObject"], ["${local.artifacts_arn}/emr-logs/*"]]
      ReadEmrRegionalBucket = [["s3:GetObject"], ["arn:${local.partition}:s3:::${var.aws_region}.elasticmapreduce/*"]]
      EncryptLocalDisks     = [["kms:Decrypt", "kms:GenerateDataKey"], aws_kms_key.emr_disks[*].arn]
    }

    # Managed Flink: its jar and log stream; it runs in the VPC (to reach the private Redshift
    # workgroup), so the service creates its network interfaces as this role. Describe* have no
    # resource-level permissions.
    managed_flink = {
      ReadApplicationJar           = [["s3:GetObject", "s3:GetObjectVersion"], ["${local.artifacts_arn}/${var.managed_flink_jar_key}"]]
      FindLogGroups                = [["logs:DescribeLogGroups"], ["arn:${local.partition}:logs:${local.region_arn}:log-group:*"]]
      WriteApplicationLog          = [["logs:DescribeLogStreams", "logs:PutLogEvents"], ["${local.msf_log_group_arn}:log-stream:*"]]
      DescribeVpc                  = [["ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces"], ["*"]]
      ApplicationNetworkInterfaces = [["ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"], concat(["${local.account_ec2}:network-interface/*", "${local.account_ec2}:security-group/*"], formatlist("${local.account_ec2}:subnet/%s", var.private_subnet_ids))]
    }

    # Redshift COPY from silver/ and gold/. GetBucketLocation has no s3:prefix condition key.
    redshift_copy = {
      ListSilverAndGold = [["s3:ListBucket"], [local.lake_arn], ["StringLike", "s3:prefix", ["silver/*", "gold/*"]]]
      LocateLake        = [["s3:GetBucketLocation"], [local.lake_arn]]
      ReadSilverAndGold = [["s3:GetObject"], ["${local.lake_arn}/silver/*", "${local.lake_arn}/gold/*"]]
      DecryptData       = [["kms:Decrypt"], [aws_kms_key.data.arn]]
    }

    # Uploaders outside this deployment: upload only, never delete (versioning would keep the
    # old copy anyway).
    ingestion = {
      ListBronze     = [["s3:ListBucket"], [local.bronze_arn], ["StringLike", "s3:prefix", ["raw_statistics/*", "raw_statistics_reference_data/*", "raw_api/*"]]]
      UploadBronze   = [["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], ["${local.bronze_arn}/raw_statistics/*", "${local.bronze_arn}/raw_statistics_reference_data/*", "${local.bronze_arn}/raw_api/*"]]
      EncryptUploads = [["kms:GenerateDataKey", "kms:Decrypt"], [aws_kms_key.data.arn]]
    }

    # The ingest task (ingest.tf): the same uploads (it never lists), the API key, its jar.
    ingest = {
      UploadBronze   = [["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], ["${local.bronze_arn}/raw_statistics/*", "${local.bronze_arn}/raw_statistics_reference_data/*", "${local.bronze_arn}/raw_api/*"]]
      EncryptUploads = [["kms:GenerateDataKey", "kms:Decrypt"], [aws_kms_key.data.arn]]
      ReadApiKey     = [["secretsmanager:GetSecretValue"], [aws_secretsmanager_secret.youtube_api_key.arn]]
      ReadIngestJar  = [["s3:GetObject"], ["${local.artifacts_arn}/${var.ingest_jar_key}"]]
    }

    ingest_execution = {
      WriteTaskLogs = [["logs:CreateLogStream", "logs:PutLogEvents"], ["${aws_cloudwatch_log_group.this["ingest"].arn}:log-stream:*"]]
    }

    # Step Functions. RunJobFlow has no resource type (the cluster ARN exists only after the
    # call): the tag it must set scopes it, and every later call is allowed only on clusters
    # carrying it. The .sync integrations wait on EventBridge rules that Step Functions manages;
    # vended log delivery is configured through account-level APIs.
    batch_workflow = {
      CreateTaggedCluster  = [["elasticmapreduce:RunJobFlow"], ["*"], ["StringEquals", "aws:RequestTag/${local.emr_cluster_tag.Key}", [local.emr_cluster_tag.Value]]]
      DriveOwnClusters     = [["elasticmapreduce:DescribeCluster", "elasticmapreduce:TerminateJobFlows", "elasticmapreduce:AddJobFlowSteps", "elasticmapreduce:DescribeStep", "elasticmapreduce:CancelSteps", "elasticmapreduce:AddTags"], ["arn:${local.partition}:elasticmapreduce:${local.region_arn}:cluster/*"], local.tagged_clusters]
      PassServiceRoleToEmr = [["iam:PassRole"], ["${local.role_arn}-emr-service"], ["StringLike", "iam:PassedToService", ["elasticmapreduce.amazonaws.com*"]]]
      PassNodeRoleToEc2    = [["iam:PassRole"], ["${local.role_arn}-emr-job"], ["StringLike", "iam:PassedToService", ["ec2.amazonaws.com*"]]]
      RunIngest            = [["ecs:RunTask"], [local.ingest_task_arn], local.ingest_cluster]
      WatchIngest          = [["ecs:DescribeTasks", "ecs:StopTask"], ["arn:${local.partition}:ecs:${local.region_arn}:task/${aws_ecs_cluster.ingest.name}/*"]]
      PassIngestRoles      = [["iam:PassRole"], local.ingest_roles, local.to_ecs_tasks]
      ManagedEventRules    = [["events:PutTargets", "events:PutRule", "events:DescribeRule"], formatlist("arn:${local.partition}:events:${local.region_arn}:rule/StepFunctionsGetEventsFor%s", ["EMRRunJobFlowRule", "EMRAddJobFlowStepsRule", "EMRTerminateJobFlowsRule", "ECSTaskRule"])]
      NotifyFailure        = [["sns:Publish"], [aws_sns_topic.alarms.arn]]
      ExecutionLogDelivery = [["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"], ["*"]]
    }

    # EventBridge Scheduler: starts the batch, or runs ingest when there is no batch.
    batch_scheduler = {
      StartBatchRun   = [["states:StartExecution"], [local.state_machine_arn]]
      RunIngest       = [["ecs:RunTask"], [local.ingest_task_arn], local.ingest_cluster]
      PassIngestRoles = [["iam:PassRole"], local.ingest_roles, local.to_ecs_tasks]
    }
  }
}

data "aws_iam_policy_document" "this" {
  for_each = local.policies

  dynamic "statement" {
    for_each = each.value

    content {
      sid       = statement.key
      actions   = statement.value[0]
      resources = statement.value[1]

      dynamic "condition" {
        for_each = try([statement.value[2]], [])

        content {
          test     = condition.value[0]
          variable = condition.value[1]
          values   = condition.value[2]
        }
      }
    }
  }
}

resource "aws_iam_policy" "job_data" {
  name        = "${local.name}-job-data"
  description = "trendlake job: read bronze input, write the lake prefixes, read the warehouse secret, publish its metrics"
  policy      = data.aws_iam_policy_document.this["job_data"].json
}

# Uploaders outside this deployment (a pipeline, an operator) assume this role; only the
# principals listed in var.ingestion_principal_arns.
data "aws_iam_policy_document" "ingestion_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = var.ingestion_principal_arns
    }
  }
}

resource "aws_iam_role" "ingestion" {
  count = length(var.ingestion_principal_arns) > 0 ? 1 : 0

  name               = "${local.name}-ingestion"
  assume_role_policy = data.aws_iam_policy_document.ingestion_trust.json
}

resource "aws_iam_role_policy" "ingestion" {
  count = length(aws_iam_role.ingestion)

  name   = "upload-bronze"
  role   = aws_iam_role.ingestion[0].id
  policy = data.aws_iam_policy_document.this["ingestion"].json
}
