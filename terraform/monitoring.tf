# Alarms and where they go. One SNS topic receives every alarm and the state machine's failure
# messages; an e-mail subscription is added when var.alarm_email is set.
#
# The topic is not encrypted with a KMS key on purpose: CloudWatch alarms cannot publish to a
# topic encrypted with the AWS-managed aws/sns key, and alarm messages carry no data, only metric
# names and states. The topic policy only admits CloudWatch of this account, over TLS.

resource "aws_sns_topic" "alarms" {
  name = "${local.name}-alarms"
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.alarm_email == "" ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

data "aws_iam_policy_document" "alarms_topic" {
  # Deny without TLS, as for the buckets (s3.tf).
  source_policy_documents = [data.aws_iam_policy_document.tls_only["alarms"].json]

  # Who may publish: CloudWatch alarms of this account, and the ingest-failed event rule.
  dynamic "statement" {
    for_each = local.alarm_publishers

    content {
      sid       = statement.key
      actions   = ["sns:Publish"]
      resources = [aws_sns_topic.alarms.arn]

      principals {
        type        = "Service"
        identifiers = [statement.value[0]]
      }

      condition {
        test     = statement.value[1]
        variable = statement.value[2]
        values   = [statement.value[3]]
      }
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

locals {
  alarm_publishers = {
    CloudWatchAlarmsOfThisAccount = ["cloudwatch.amazonaws.com", "StringEquals", "aws:SourceAccount", local.account_id]
    IngestFailedEvents            = ["events.amazonaws.com", "ArnEquals", "aws:SourceArn", aws_cloudwatch_event_rule.ingest_failed.arn]
  }

  # alarm => when it exists, what it watches and when it fires (above or below a threshold).
  # Missing data is not breaching unless `missing` says otherwise.
  alarms = merge(local.quarantine_alarms, {
    batch-failed = {
      on        = local.batch_enabled, about = "A trendlake batch run failed (ingest, cluster, step or a timeout). See the execution and the EMR step logs."
      namespace = "AWS/States", metric = "ExecutionsFailed", dimensions = { StateMachineArn = local.state_machine_arn }
      statistic = "Sum", period = 300, periods = 1, above = 0
    }
    managed-flink-downtime = {
      on        = local.managed_flink_enabled, ok = true, about = "The Managed Flink application is failing or restarting (downtime > 0 for 5 minutes)."
      namespace = "AWS/KinesisAnalytics", metric = "downtime", dimensions = { Application = local.name }
      statistic = "Maximum", period = 60, periods = 5, above = 0
    }
    managed-flink-failed-checkpoints = {
      on        = local.managed_flink_enabled, about = "The Managed Flink application failed to take a checkpoint."
      namespace = "AWS/KinesisAnalytics", metric = "numberOfFailedCheckpoints", dimensions = { Application = local.name }
      statistic = "Maximum", period = 300, periods = 1, above = 0
    }
    # The scheduled job publishes Records once per run: no point for a day means the run did not
    # finish, or its publish failed (a failed publish does not fail the run).
    records-missing = {
      on        = local.batch_enabled && var.batch_schedule_enabled, missing = "breaching", below = 1
      about     = "No trendlake run published its metrics for var.metrics_heartbeat_hours: the run failed or its CloudWatch publish did (see the step log)."
      namespace = var.metrics_namespace, metric = "Records", dimensions = { Region = "ALL" }
      statistic = "SampleCount", period = 3600, periods = var.metrics_heartbeat_hours
    }
    # Data-quality rules (--qualityRules, QualityMetrics.java), published by every run, committed
    # or rejected: a failed `fail` rule (the run was rejected, nothing was committed), and a pass
    # rate (rules passed / rules evaluated) below var.quality_pass_rate_threshold.
    quality-rejected = {
      on        = true, about = "A trendlake run was rejected by a fail data-quality rule (manifest status rejected_by_quality): nothing was committed. The manifest's quality section names the rule."
      namespace = var.metrics_namespace, metric = "QualityFailRulesFailed", dimensions = {}
      statistic = "Maximum", period = 3600, periods = 1, above = 0
    }
    quality-pass-rate = {
      on        = true, about = "A trendlake run passed fewer of its data-quality rules than var.quality_pass_rate_threshold (warn rules count too). See the manifest's quality section."
      namespace = var.metrics_namespace, metric = "QualityPassRate", dimensions = {}
      statistic = "Minimum", period = 3600, periods = 1, below = var.quality_pass_rate_threshold
    }
  })

  # Data quality, published by the job (--cloudWatchNamespace, QuarantineMetrics.java): one alarm
  # for all regions together (Region=ALL) and one per region, so a single country's broken export
  # is not diluted by the others. The job publishes once per run, so a missing point is normal.
  # (Their metric, statistic and description are the defaults in the resource below.)
  quarantine_alarms = { for r in concat(["ALL"], var.regions) : format("quarantine-ratio-%s", r) => { on = true, region = r, namespace = var.metrics_namespace, period = 3600, periods = 1, above = var.quarantine_ratio_threshold } }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = { for a, d in local.alarms : a => d if d.on }

  alarm_name          = "${local.name}-${each.key}"
  alarm_description   = try(each.value.about, "A trendlake run quarantined more than var.quarantine_ratio_threshold of the records it read (region ${each.value.region}). Run the Athena query quarantine-by-reason.")
  namespace           = each.value.namespace
  metric_name         = try(each.value.metric, "QuarantineRatio")
  dimensions          = tomap(try(each.value.dimensions, { Region = each.value.region }))
  statistic           = try(each.value.statistic, "Maximum")
  period              = each.value.period
  evaluation_periods  = each.value.periods
  threshold           = try(each.value.above, each.value.below)
  comparison_operator = can(each.value.above) ? "GreaterThanThreshold" : "LessThanThreshold"
  treat_missing_data  = try(each.value.missing, "notBreaching")
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = try(each.value.ok, false) ? [aws_sns_topic.alarms.arn] : []
}

# No commit while files keep arriving: the continuous Managed Flink job commits each new
# statistics file shortly after it lands (watchInterval + commitDelay), and publishes Commits
# (CommitMetrics.java) after each commit. S3 request metrics on bronze's statistics prefix count
# the uploads (AWS/S3 PutRequests, dimensions BucketName and FilterId = the filter's name).
#
# The alarm looks at windows of var.managed_flink_no_commit_alarm_minutes and fires when, in two
# windows in a row, files landed and the job committed nothing (FILL: no point is 0). Two windows,
# because the window slides: a file that has just landed is not committed yet, so one window would
# fire after every quiet spell longer than the window; the older window's files have had a whole
# window to be committed. So a window must be at least the time between two uploads and well
# above watchInterval + commitDelay.
locals {
  no_commit_alarm  = local.managed_flink_enabled && var.managed_flink_continuous
  no_commit_period = var.managed_flink_no_commit_alarm_minutes * 60
}

resource "aws_s3_bucket_metric" "bronze_statistics" {
  count = local.no_commit_alarm ? 1 : 0

  bucket = aws_s3_bucket.this["bronze"].id
  name   = "raw-statistics"

  filter {
    prefix = "raw_statistics/"
  }
}

resource "aws_cloudwatch_metric_alarm" "no_commit" {
  count = local.no_commit_alarm ? 1 : 0

  alarm_name          = "${local.name}-managed-flink-no-commit"
  alarm_description   = "Statistics files keep landing in bronze, but the continuous Managed Flink job committed nothing in two windows of var.managed_flink_no_commit_alarm_minutes: it is stopped, failing or stuck. See its log stream and the lake's _manifests/."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "stuck"
    label       = "Files landed, nothing committed"
    expression  = "IF(FILL(puts, 0) > 0 AND FILL(commits, 0) == 0, 1, 0)"
    return_data = true
  }

  metric_query {
    id = "puts"

    metric {
      namespace   = "AWS/S3"
      metric_name = "PutRequests"
      dimensions  = { BucketName = aws_s3_bucket.this["bronze"].id, FilterId = aws_s3_bucket_metric.bronze_statistics[0].name }
      stat        = "Sum"
      period      = local.no_commit_period
    }
  }

  metric_query {
    id = "commits"

    metric {
      namespace   = var.metrics_namespace
      metric_name = "Commits"
      stat        = "Sum"
      period      = local.no_commit_period
    }
  }
}
