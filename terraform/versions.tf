# Terraform and provider versions. The AWS provider's lower bound is the release whose schema
# testdata/terraform/aws-provider-schema.json holds: TerraformTest checks every argument and block
# against it, so an older provider could lack one. (runtime FLINK-1_19 is accepted since mid-2024,
# 5.5x; manage_admin_password since 5.31.) `moved` blocks need Terraform >= 1.1, preconditions 1.2.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.99.1, < 6.0.0"
    }
  }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(var.tags, {
      project     = var.project
      environment = var.environment
      managed-by  = "terraform"
    })
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  name       = "${var.project}-${var.environment}"
  region_arn = "${var.aws_region}:${local.account_id}"

  # What var.deployment_mode deploys: the scheduled batch on EMR, the continuous application on
  # Managed Flink, or both. Ingest and the warehouse serve either.
  batch_enabled         = var.deployment_mode != "continuous_managed_flink"
  managed_flink_enabled = var.deployment_mode != "scheduled_emr"

  # Bucket names are global: the account id keeps them unique without a random suffix.
  bucket_names = {
    bronze    = "${local.name}-bronze-${local.account_id}"
    lake      = "${local.name}-lake-${local.account_id}"
    artifacts = "${local.name}-artifacts-${local.account_id}"
  }
  bronze_uri = "s3://${local.bucket_names.bronze}"
  lake_uri   = "s3://${local.bucket_names.lake}"
  jar_uri    = "s3://${local.bucket_names.artifacts}/${var.jar_key}"
}
