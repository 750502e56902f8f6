# Security groups and the flows between them. Terraform removes the allow-all egress AWS gives a
# new group, and EMR adds to its managed groups (emr_*) only the inbound rules a cluster needs, so
# every flow a component needs is listed here, as "from>to:port": `to` is a group below, a CIDR,
# or s3 (the region's S3 prefix list); port "all" is every protocol. A flow to a group becomes an
# egress rule on `from` and an ingress rule on `to`. Traffic to the VPC's DNS resolver and to the
# instance metadata service is never filtered by security groups.

locals {
  # group => [created?, description]. The emr_* descriptions are those EMR was given first
  # (a changed description replaces the group).
  security_groups = {
    emr_primary        = [local.batch_enabled, "EMR primary node of the trendlake batch cluster (rules managed by EMR)"]
    emr_core           = [local.batch_enabled, "EMR core nodes of the trendlake batch cluster (rules managed by EMR)"]
    emr_service_access = [local.batch_enabled, "EMR service access to a cluster in a private subnet"]
    managed_flink      = [local.managed_flink_enabled, "Managed Flink application of trendlake (reaches Redshift and AWS APIs)"]
    ingest             = [true, "trendlake ingest task (YouTube Data API, S3, Secrets Manager over HTTPS)"]
    redshift           = [true, "Redshift Serverless workgroup of trendlake"]
    endpoints          = [length(var.interface_endpoints) > 0, "Interface VPC endpoints of trendlake (HTTPS from its components)"]
  }

  flows = [
    # inside the EMR cluster: YARN, HDFS and Flink use many ports between the nodes
    "emr_primary>emr_primary:all", "emr_primary>emr_core:all", "emr_core>emr_primary:all", "emr_core>emr_core:all",
    # the EMR service agent and the cluster in a private subnet
    "emr_primary>emr_service_access:9443", "emr_service_access>emr_primary:8443", "emr_service_access>emr_core:8443",
    # AWS APIs (S3 through the gateway endpoint or a NAT, EMR, STS, ...), the interface endpoints
    "emr_primary>0.0.0.0/0:443", "emr_core>0.0.0.0/0:443", "managed_flink>0.0.0.0/0:443", "ingest>0.0.0.0/0:443",
    "emr_primary>endpoints:443", "emr_core>endpoints:443", "managed_flink>endpoints:443", "ingest>endpoints:443",
    # the warehouse load: JDBC from the job's workers (and its launcher on the primary node)
    "emr_primary>redshift:5439", "emr_core>redshift:5439", "managed_flink>redshift:5439",
    # COPY with enhanced VPC routing reads S3 through the VPC
    "redshift>s3:443",
  ]

  # flow => [from, to, port], for the flows whose groups this deployment mode creates
  flow_parts = { for f in local.flows : f => regex("^(\\w+)>([^:]+):(\\w+)$", f) }
  flow_rules = { for f, p in local.flow_parts : f => { from = p[0], to = p[1], port = p[2] } if local.security_groups[p[0]][0] && try(local.security_groups[p[1]][0], true) }
}

# group => id, for the places that name groups inside a JSON document (emr.tf, ingest.tf)
locals {
  security_group_ids = { for g, sg in aws_security_group.this : g => sg.id }
}

resource "aws_security_group" "this" {
  for_each = { for g, d in local.security_groups : g => d[1] if d[0] }

  name                   = "${local.name}-${replace(each.key, "_", "-")}"
  description            = each.value
  vpc_id                 = var.vpc_id
  revoke_rules_on_delete = true

  # AmazonEMRServicePolicy_v2 acts only on network resources with this tag.
  tags = startswith(each.key, "emr_") ? tomap({ "for-use-with-amazon-emr-managed-policies" = "true" }) : tomap({})
}

data "aws_ec2_managed_prefix_list" "s3" {
  name = "com.amazonaws.${var.aws_region}.s3"
}

resource "aws_vpc_security_group_egress_rule" "flow" {
  for_each = local.flow_rules

  security_group_id            = aws_security_group.this[each.value.from].id
  description                  = each.key
  ip_protocol                  = each.value.port == "all" ? "-1" : "tcp"
  from_port                    = each.value.port == "all" ? null : tonumber(each.value.port)
  to_port                      = each.value.port == "all" ? null : tonumber(each.value.port)
  cidr_ipv4                    = can(cidrhost(each.value.to, 0)) ? each.value.to : null
  prefix_list_id               = each.value.to == "s3" ? data.aws_ec2_managed_prefix_list.s3.id : null
  referenced_security_group_id = contains(keys(local.security_groups), each.value.to) ? aws_security_group.this[each.value.to].id : null
}

resource "aws_vpc_security_group_ingress_rule" "flow" {
  for_each = { for f, r in local.flow_rules : f => r if contains(keys(local.security_groups), r.to) }

  security_group_id            = aws_security_group.this[each.value.to].id
  description                  = each.key
  ip_protocol                  = each.value.port == "all" ? "-1" : "tcp"
  from_port                    = each.value.port == "all" ? null : tonumber(each.value.port)
  to_port                      = each.value.port == "all" ? null : tonumber(each.value.port)
  referenced_security_group_id = aws_security_group.this[each.value.from].id
}

# Clients of the warehouse (a bastion, a BI subnet), by CIDR.
resource "aws_vpc_security_group_ingress_rule" "redshift_clients" {
  for_each = toset(var.redshift_allowed_cidrs)

  security_group_id = aws_security_group.this["redshift"].id
  description       = "Redshift clients"
  ip_protocol       = "tcp"
  from_port         = 5439
  to_port           = 5439
  cidr_ipv4         = each.value
}

# Private subnets reach CloudWatch (the job's quarantine metrics) and Secrets Manager (the
# warehouse password, the API key) through these, without a NAT gateway. One subnet keeps the
# cost at one endpoint ENI per service (~$7.30 a month each); private DNS answers for the whole
# VPC, so every subnet uses them.
resource "aws_vpc_endpoint" "interface" {
  for_each = toset(var.interface_endpoints)

  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${var.aws_region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [local.emr_subnet_id]
  security_group_ids  = [aws_security_group.this["endpoints"].id]
}
