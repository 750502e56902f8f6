# Ingest (docs/ingest.md): the `ingest` command fetches the YouTube Data API into bronze. It runs
# as an ECS Fargate task (docs/aws.md compares it with an EMR step and Lambda): in the batch state
# machine before the job (emr.tf), or on its own schedule when no batch runs. The task's first
# container copies the jar from the artifacts bucket to a shared volume, the second runs it; the
# API key comes from the Secrets Manager secret below, whose value is set by hand, never by
# Terraform (docs/aws.md).

locals {
  ingest_subnet_ids = length(var.ingest_subnet_ids) > 0 ? var.ingest_subnet_ids : var.private_subnet_ids

  ingest_command = [
    "java", "-XX:MaxRAMPercentage=75", "-jar", "/jars/app.jar", "ingest",
    "--regions=${join(",", coalesce(var.ingest_regions, var.regions))}",
    "--output=${local.bronze_uri}",
    "--apiKeySecretArn=${aws_secretsmanager_secret.youtube_api_key.arn}",
    "--awsRegion=${var.aws_region}",
  ]

  # The RunTask request: the state machine's parameters (emr.tf); the schedule below says the same.
  ingest_run_task = {
    Cluster        = aws_ecs_cluster.ingest.arn
    TaskDefinition = aws_ecs_task_definition.ingest.arn
    LaunchType     = "FARGATE"
    NetworkConfiguration = {
      AwsvpcConfiguration = {
        Subnets        = local.ingest_subnet_ids
        SecurityGroups = [lookup(local.security_group_ids, "ingest", null)]
        AssignPublicIp = var.ingest_assign_public_ip ? "ENABLED" : "DISABLED"
      }
    }
  }
}

resource "aws_secretsmanager_secret" "youtube_api_key" {
  name        = "${local.name}/youtube-api-key"
  description = "YouTube Data API v3 key of trendlake ingest (set its value with put-secret-value)"
  kms_key_id  = aws_kms_key.data.arn
}

resource "aws_ecs_cluster" "ingest" {
  name = "${local.name}-ingest"
}

resource "aws_ecs_task_definition" "ingest" {
  family                   = "${local.name}-ingest"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  task_role_arn            = aws_iam_role.this["ingest"].arn
  execution_role_arn       = aws_iam_role.this["ingest_execution"].arn

  volume {
    name = "jars"
  }

  container_definitions = jsonencode([
    {
      name        = "fetch-jar"
      image       = var.ingest_images.fetch
      essential   = false
      command     = ["s3", "cp", "s3://${local.bucket_names.artifacts}/${var.ingest_jar_key}", "/jars/app.jar"]
      mountPoints = [{ sourceVolume = "jars", containerPath = "/jars" }]
      logConfiguration = {
        logDriver = "awslogs"
        options   = { awslogs-group = aws_cloudwatch_log_group.this["ingest"].name, awslogs-region = var.aws_region, awslogs-stream-prefix = "fetch" }
      }
    },
    {
      name        = "ingest"
      image       = var.ingest_images.java
      essential   = true
      command     = local.ingest_command
      dependsOn   = [{ containerName = "fetch-jar", condition = "SUCCESS" }]
      mountPoints = [{ sourceVolume = "jars", containerPath = "/jars", readOnly = true }]
      logConfiguration = {
        logDriver = "awslogs"
        options   = { awslogs-group = aws_cloudwatch_log_group.this["ingest"].name, awslogs-region = var.aws_region, awslogs-stream-prefix = "ingest" }
      }
    },
  ])
}

# Without a batch (continuous_managed_flink), ingest runs on its own schedule; the application
# picks up what it writes.
resource "aws_scheduler_schedule" "ingest" {
  count = local.batch_enabled ? 0 : 1

  name                = "${local.name}-ingest"
  description         = "Runs trendlake ingest (YouTube Data API to bronze)"
  schedule_expression = var.ingest_schedule_expression

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_ecs_cluster.ingest.arn
    role_arn = aws_iam_role.this["batch_scheduler"].arn

    ecs_parameters {
      task_definition_arn = aws_ecs_task_definition.ingest.arn
      launch_type         = "FARGATE"

      network_configuration {
        subnets          = local.ingest_subnet_ids
        security_groups  = [aws_security_group.this["ingest"].id]
        assign_public_ip = var.ingest_assign_public_ip
      }
    }

    # The command retries transient errors itself; a second run after a spent quota only fails.
    retry_policy {
      maximum_retry_attempts = 0
    }
  }
}

# A failed ingest task, wherever it ran (the state machine goes on to the transform, the schedule
# has no one to tell): any of its containers stopped with a non-zero exit code.
resource "aws_cloudwatch_event_rule" "ingest_failed" {
  name        = "${local.name}-ingest-failed"
  description = "A trendlake ingest task stopped with a non-zero exit code (a region failed, the quota or the key ran out, or the jar could not be fetched)"
  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Task State Change"]
    detail = {
      clusterArn = [aws_ecs_cluster.ingest.arn]
      lastStatus = ["STOPPED"]
      containers = { exitCode = [{ anything-but = 0 }] }
    }
  })
}

resource "aws_cloudwatch_event_target" "ingest_failed" {
  rule = aws_cloudwatch_event_rule.ingest_failed.name
  arn  = aws_sns_topic.alarms.arn
}
