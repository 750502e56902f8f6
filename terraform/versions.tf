# Terraform and provider versions. The AWS provider 5.x has every resource used here
# (Redshift Serverless manage_admin_password needs >= 5.31; EventBridge Scheduler >= 4.65).
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.31"
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

  # Bucket names are global: the account id keeps them unique without a random suffix.
  bronze_bucket_name    = "${var.project}-${var.environment}-bronze-${local.account_id}"
  lake_bucket_name      = "${var.project}-${var.environment}-lake-${local.account_id}"
  artifacts_bucket_name = "${var.project}-${var.environment}-artifacts-${local.account_id}"

  # Job arguments shared by the EMR step and the Managed Flink property group.
  bronze_uri = "s3://${local.bronze_bucket_name}"
  lake_uri   = "s3://${local.lake_bucket_name}"
  jar_uri    = "s3://${local.artifacts_bucket_name}/${var.jar_key}"
}
