# Alarms and where they go. One SNS topic receives every alarm and the state machine's failure
# message; an e-mail subscription is added when var.alarm_email is set.
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
  statement {
    sid       = "CloudWatchAlarmsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

# ---- batch (Step Functions) --------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "batch_failed" {
  alarm_name          = "${local.name}-batch-failed"
  alarm_description   = "A trendlake batch run failed (the state machine execution failed). See the execution and the EMR step logs."
  namespace           = "AWS/States"
  metric_name         = "ExecutionsFailed"
  dimensions          = { StateMachineArn = aws_sfn_state_machine.batch.arn }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "batch_timed_out" {
  alarm_name          = "${local.name}-batch-timed-out"
  alarm_description   = "A trendlake batch run took longer than var.batch_timeout_minutes and was stopped."
  namespace           = "AWS/States"
  metric_name         = "ExecutionsTimedOut"
  dimensions          = { StateMachineArn = aws_sfn_state_machine.batch.arn }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

# ---- Managed Service for Apache Flink ----------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "managed_flink_downtime" {
  count = var.managed_flink_enabled ? 1 : 0

  alarm_name          = "${local.name}-managed-flink-downtime"
  alarm_description   = "The Managed Flink application is failing or restarting (downtime > 0 for 5 minutes)."
  namespace           = "AWS/KinesisAnalytics"
  metric_name         = "downtime"
  dimensions          = { Application = local.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "managed_flink_failed_checkpoints" {
  count = var.managed_flink_enabled ? 1 : 0

  alarm_name          = "${local.name}-managed-flink-failed-checkpoints"
  alarm_description   = "The Managed Flink application failed to take a checkpoint."
  namespace           = "AWS/KinesisAnalytics"
  metric_name         = "numberOfFailedCheckpoints"
  dimensions          = { Application = local.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

# ---- data quality: published by the job (--cloudWatchNamespace, QuarantineMetrics.java) -------

# One alarm for all regions together (Region=ALL) and one per region, so a single country's
# broken export is not diluted by the others. The job publishes once per run, so a missing point
# is normal and not breaching.
resource "aws_cloudwatch_metric_alarm" "quarantine_ratio" {
  for_each = toset(concat(["ALL"], var.regions))

  alarm_name          = "${local.name}-quarantine-ratio-${each.key}"
  alarm_description   = "A trendlake run quarantined more than var.quarantine_ratio_threshold of the records it read (Region=${each.key}). Run the Athena query quarantine-by-reason."
  namespace           = var.metrics_namespace
  metric_name         = "QuarantineRatio"
  dimensions          = { Region = each.key }
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.quarantine_ratio_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
