# S3: three buckets (local.bucket_names), and prefixes inside them (docs/aws.md says why):
#   bronze     raw input: the only copy of the source, versioned and archived, never expired
#   lake       silver/, gold/, quarantine/, _manifests/, _staging/ (the job's --output); one
#              bucket because the job commits by moving files from _staging/<run-id>/ under the
#              same root; IAM and lifecycle rules are scoped by prefix
#   artifacts  jars/, athena-results/, emr-logs/
# Every bucket gets the same resources below (for_each over the buckets): SSE-KMS with a bucket
# key, owner-enforced objects (no ACLs), all public access blocked, a policy that denies plain HTTP
# and TLS < 1.2, versioning, and lifecycle rules. TerraformTest checks each of them.

resource "aws_s3_bucket" "this" {
  for_each = local.bucket_names

  bucket = each.value
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = aws_s3_bucket.this

  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id

  versioning_configuration {
    status = "Enabled"
  }
}

locals {
  # Denied to everyone: requests without TLS, and TLS older than 1.2 (an S3 condition key).
  insecure_transport = {
    DenyInsecureTransport = ["Bool", "aws:SecureTransport", "false"]
    DenyOutdatedTls       = ["NumericLessThan", "s3:TlsVersion", "1.2"]
  }

  # Prefixes that expire, per bucket: prefix => days. Bronze never expires (it is archived).
  expiring_prefixes = {
    bronze    = {}
    lake      = { "quarantine/" = var.quarantine_expire_days, "_staging/" = var.staging_expire_days }
    artifacts = { "athena-results/" = var.athena_results_expire_days, "emr-logs/" = var.emr_logs_expire_days }
  }
}

# Deny everyone any request without TLS (and, on S3, with TLS older than 1.2): every bucket, and
# the alarm topic (monitoring.tf). resource => [action, resources...].
locals {
  bucket_tls = { for k, b in aws_s3_bucket.this : k => ["s3:*", b.arn, format("%s/*", b.arn)] }
  topic_tls  = { alarms = ["sns:Publish", aws_sns_topic.alarms.arn] }
  tls_only   = merge(local.bucket_tls, local.topic_tls)
}

data "aws_iam_policy_document" "tls_only" {
  for_each = local.tls_only

  dynamic "statement" {
    for_each = { for sid, c in local.insecure_transport : sid => c if each.value[0] == "s3:*" || c[1] == "aws:SecureTransport" }

    content {
      sid       = statement.key
      effect    = "Deny"
      actions   = [each.value[0]]
      resources = slice(each.value, 1, length(each.value))

      principals {
        type        = "*"
        identifiers = ["*"]
      }

      condition {
        test     = statement.value[0]
        variable = statement.value[1]
        values   = [statement.value[2]]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id
  policy = data.aws_iam_policy_document.tls_only[each.key].json

  # S3 rejects a bucket policy while the public access block is being changed.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id

  # Rules that filter on versions need versioning in place first.
  depends_on = [aws_s3_bucket_versioning.this]

  # S3 refuses a transition to STANDARD_IA or ONEZONE_IA before an object is 30 days old.
  lifecycle {
    precondition {
      condition     = !contains(["STANDARD_IA", "ONEZONE_IA"], var.bronze_archive_storage_class) || var.bronze_archive_after_days >= 30
      error_message = "bronze_archive_after_days must be at least 30 for STANDARD_IA and ONEZONE_IA."
    }
  }

  dynamic "rule" {
    for_each = local.expiring_prefixes[each.key]

    content {
      id     = "expire-${trimsuffix(rule.key, "/")}"
      status = "Enabled"

      filter {
        prefix = rule.key
      }

      expiration {
        days = rule.value
      }
    }
  }

  # The job reads all of bronze on every run: the archive class must be readable without a
  # restore (the variable's validation allows only such classes).
  dynamic "rule" {
    for_each = each.key == "bronze" ? [var.bronze_archive_storage_class] : []

    content {
      id     = "archive-bronze"
      status = "Enabled"
      filter {}

      transition {
        days          = var.bronze_archive_after_days
        storage_class = rule.value
      }
    }
  }

  # Replaced and deleted versions are kept for a while (a bad run or upload can be rolled back
  # object by object), then expire; uploads a crash left open are aborted.
  rule {
    id     = "expire-old-versions"
    status = "Enabled"
    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expire_days
    }

    expiration {
      expired_object_delete_marker = true
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}
