# Redshift Serverless: the warehouse the job loads with COPY + MERGE (role redshift_copy in iam.tf,
# the job's warehouse options in emr.tf). Private only: no public endpoint, private subnets, a
# security group open to the job and listed CIDRs (network.tf). Enhanced VPC routing sends COPY's
# S3 traffic through the VPC, so that group allows HTTPS to S3. The admin password is generated and
# rotated by Secrets Manager: it never appears in Terraform variables, state or outputs (only the
# secret's ARN does); the secret is encrypted with the data key, which the job may use.

resource "aws_redshiftserverless_namespace" "trendlake" {
  namespace_name                   = local.name
  db_name                          = var.redshift_database
  admin_username                   = var.redshift_admin_username
  manage_admin_password            = true
  admin_password_secret_kms_key_id = aws_kms_key.data.arn
  kms_key_id                       = aws_kms_key.data.arn
  iam_roles                        = [aws_iam_role.this["redshift_copy"].arn]
  default_iam_role_arn             = aws_iam_role.this["redshift_copy"].arn
  log_exports                      = ["userlog", "connectionlog"]
}

resource "aws_redshiftserverless_workgroup" "trendlake" {
  namespace_name       = aws_redshiftserverless_namespace.trendlake.namespace_name
  workgroup_name       = local.name
  base_capacity        = var.redshift_base_capacity
  publicly_accessible  = false
  enhanced_vpc_routing = true
  subnet_ids           = var.private_subnet_ids
  security_group_ids   = [aws_security_group.this["redshift"].id]

  lifecycle {
    precondition {
      condition     = contains(["copy", "jdbc", "none"], var.warehouse_load)
      error_message = "warehouse_load is copy, jdbc or none."
    }
  }
}

# A daily ceiling on compute: a runaway query stops instead of running up the bill.
resource "aws_redshiftserverless_usage_limit" "daily_rpu_hours" {
  resource_arn  = aws_redshiftserverless_workgroup.trendlake.arn
  usage_type    = "serverless-compute"
  period        = "daily"
  amount        = var.redshift_max_rpu_hours_per_day
  breach_action = "deactivate"
}
