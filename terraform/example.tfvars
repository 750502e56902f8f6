# Copy to terraform.tfvars and fill in. Only the first three have no default.
aws_region         = "eu-west-1"
vpc_id             = "vpc-0123456789abcdef0"
private_subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb", "subnet-0cccccccccccccccc"]

# Optional
environment             = "prod"
deployment_mode         = "scheduled_emr"
alarm_email             = "data-oncall@example.com"
redshift_allowed_cidrs  = ["10.0.0.0/16"]
emr_core_instance_count = 2
ingest_regions          = ["us", "gb", "ca"]
