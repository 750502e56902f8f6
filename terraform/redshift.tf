# Redshift Serverless: the warehouse gold is loaded into with COPY (role redshift_copy in iam.tf).
# Private only: no public endpoint, private subnets, a security group open to listed CIDRs only.
# The admin password is generated and rotated by Secrets Manager: it never appears in Terraform
# variables, state or outputs (only the secret's ARN does).

resource "aws_security_group" "redshift" {
  name        = "${local.name}-redshift"
  description = "Redshift Serverless workgroup of trendlake"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "redshift_clients" {
  for_each = toset(var.redshift_allowed_cidrs)

  security_group_id = aws_security_group.redshift.id
  description       = "Redshift clients"
  ip_protocol       = "tcp"
  from_port         = 5439
  to_port           = 5439
  cidr_ipv4         = each.value
}

resource "aws_redshiftserverless_namespace" "trendlake" {
  namespace_name        = local.name
  db_name               = var.redshift_database
  admin_username        = var.redshift_admin_username
  manage_admin_password = true
  kms_key_id            = aws_kms_key.data.arn
  iam_roles             = [aws_iam_role.redshift_copy.arn]
  default_iam_role_arn  = aws_iam_role.redshift_copy.arn
  log_exports           = ["userlog", "connectionlog"]
}

resource "aws_redshiftserverless_workgroup" "trendlake" {
  namespace_name       = aws_redshiftserverless_namespace.trendlake.namespace_name
  workgroup_name       = local.name
  base_capacity        = var.redshift_base_capacity
  publicly_accessible  = false
  enhanced_vpc_routing = true
  subnet_ids           = var.private_subnet_ids
  security_group_ids   = [aws_security_group.redshift.id]
}

# A daily ceiling on compute: a runaway query stops instead of running up the bill.
resource "aws_redshiftserverless_usage_limit" "daily_rpu_hours" {
  resource_arn  = aws_redshiftserverless_workgroup.trendlake.arn
  usage_type    = "serverless-compute"
  period        = "daily"
  amount        = var.redshift_max_rpu_hours_per_day
  breach_action = "deactivate"
}
