# Customer-managed keys. `data` encrypts the data at rest: the three buckets, Athena results, the
# Redshift namespace and its admin secret, the YouTube API key secret. A CMK (rather than SSE-S3)
# lets IAM decide who can read the data at all, and its use is visible in CloudTrail. Bucket keys
# (s3.tf) keep the KMS request cost negligible. `emr_disks` encrypts the EMR nodes' EBS and local
# disks (security configuration in emr.tf): a key of its own, so the EMR service role, which must
# use it, gets no power over the data. Key policies are the default one (the account administers
# the key; IAM policies grant use).
resource "aws_kms_key" "data" {
  description             = "${local.name}: data at rest (S3 tiers, Athena results, Redshift, secrets)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "data" {
  name          = "alias/${local.name}-data"
  target_key_id = aws_kms_key.data.key_id
}

resource "aws_kms_key" "emr_disks" {
  count = local.batch_enabled ? 1 : 0

  description             = "${local.name}: EBS and local disks of the transient EMR cluster"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}
