# One customer-managed key encrypts the data at rest: the three buckets, Athena results and the
# Redshift namespace. A CMK (rather than SSE-S3) lets IAM decide who can read the data at all,
# and its use is visible in CloudTrail. Bucket keys (s3.tf) keep the KMS request cost negligible.
# The key policy is the default one (the account administers the key; IAM policies grant use).
resource "aws_kms_key" "data" {
  description             = "${local.name}: data at rest (S3 tiers, Athena results, Redshift)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "data" {
  name          = "alias/${local.name}-data"
  target_key_id = aws_kms_key.data.key_id
}
