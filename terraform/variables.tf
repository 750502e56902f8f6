# Every variable has a type and a description (TerraformTest checks it).

variable "aws_region" {
  type        = string
  description = "AWS region to deploy into, e.g. eu-west-1."
}

variable "project" {
  type        = string
  description = "Short name prefixed to every resource name."
  default     = "trendlake"
}

variable "environment" {
  type        = string
  description = "Environment name (dev, prod, ...), part of every resource name."
  default     = "prod"
}

variable "deployment_mode" {
  type        = string
  description = "What runs the job: scheduled_emr (a daily transient EMR cluster), continuous_managed_flink (the Managed Flink application), or both."
  default     = "scheduled_emr"

  validation {
    condition     = contains(["scheduled_emr", "continuous_managed_flink", "both"], var.deployment_mode)
    error_message = "deployment_mode is scheduled_emr, continuous_managed_flink or both."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource."
  default     = {}
}

variable "regions" {
  type        = list(string)
  description = "Lower-case YouTube region codes the job writes (the region=<xx> partitions); the Athena partition projection enumerates them."
  default     = ["ca", "de", "fr", "gb", "in", "jp", "kr", "mx", "ru", "us"]

  validation {
    condition     = alltrue([for r in var.regions : can(regex("^[a-z]{2}$", r))])
    error_message = "Regions are two lower-case letters, as in the region=<xx> folders the job writes."
  }
}

variable "trending_date_start" {
  type        = string
  description = "First trending_date (yyyy-mm-dd) the Athena partition projection covers; it runs up to today."
  default     = "2017-11-01"
}

variable "tmdb_dt_start" {
  type        = string
  description = "First dt (yyyy-mm-dd) the Athena partition projection of the TMDB tables covers; it runs up to today."
  default     = "2025-01-01"
}

# ---- S3 ----------------------------------------------------------------------------------------

variable "bronze_archive_after_days" {
  type        = number
  description = "Days after which bronze objects move to the archive storage class (at least 30 for STANDARD_IA and ONEZONE_IA: a precondition in s3.tf checks it)."
  default     = 90

  validation {
    condition     = var.bronze_archive_after_days >= 0
    error_message = "Days can't be negative."
  }
}

variable "bronze_archive_storage_class" {
  type        = string
  description = "Archive storage class for bronze. The job reads all of bronze on each run, so it must stay readable without a restore: GLACIER_IR (default) or STANDARD_IA."
  default     = "GLACIER_IR"

  validation {
    condition     = contains(["GLACIER_IR", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING"], var.bronze_archive_storage_class)
    error_message = "Use a class the job can read without a restore (GLACIER_IR, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING)."
  }
}

variable "quarantine_expire_days" {
  type        = number
  description = "Days after which quarantined records (lake quarantine/ prefix) expire."
  default     = 90
}

variable "athena_results_expire_days" {
  type        = number
  description = "Days after which Athena query results (artifacts athena-results/ prefix) expire."
  default     = 30
}

variable "staging_expire_days" {
  type        = number
  description = "Days after which files a crashed run left under _staging/ expire (a successful run moves them away)."
  default     = 7
}

variable "emr_logs_expire_days" {
  type        = number
  description = "Days after which EMR cluster logs (artifacts emr-logs/ prefix) expire."
  default     = 30
}

variable "noncurrent_version_expire_days" {
  type        = number
  description = "Days a replaced or deleted object version is kept in versioned buckets before it expires."
  default     = 30
}

variable "jar_key" {
  type        = string
  description = "Object key of the bundled job jar in the artifacts bucket (used by the EMR step)."
  default     = "jars/trendlake-bundled.jar"
}

variable "managed_flink_jar_key" {
  type        = string
  description = "Object key, in the artifacts bucket, of the jar the Managed Flink application runs (its manifest names the service entry point)."
  default     = "jars/trendlake-bundled.jar"
}

variable "ingest_jar_key" {
  type        = string
  description = "Object key, in the artifacts bucket, of the jar the ingest task runs as `java -jar <jar> ingest ...`: ingest/target/trendlake-ingest.jar (the ingest command is not in the job's bundled jar)."
  default     = "jars/trendlake-ingest.jar"
}

# ---- the job -----------------------------------------------------------------------------------

variable "max_file_megabytes" {
  type        = number
  description = "Value of the job's --maxFileMegabytes option (source CSV megabytes per Parquet file)."
  default     = 256
}

variable "metrics_namespace" {
  type        = string
  description = "CloudWatch namespace the job publishes QuarantineRatio to (--cloudWatchNamespace); the quarantine alarm reads it."
  default     = "Trendlake"
}

# ---- network -----------------------------------------------------------------------------------

variable "vpc_id" {
  type        = string
  description = "VPC for the EMR cluster and the Redshift Serverless workgroup (needs an S3 gateway endpoint or a NAT)."
}

variable "interface_endpoints" {
  type        = list(string)
  description = "AWS services the private subnets reach through interface VPC endpoints created here (CloudWatch metrics, Secrets Manager). Set [] when the VPC has a NAT gateway or these endpoints already."
  default     = ["monitoring", "secretsmanager"]
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Private subnets (at least 3, in different AZs, for Redshift Serverless); the EMR cluster uses the first. Tag them for-use-with-amazon-emr-managed-policies=true."

  validation {
    condition     = length(var.private_subnet_ids) >= 3
    error_message = "Redshift Serverless needs at least three private subnets in different availability zones."
  }
}

variable "redshift_allowed_cidrs" {
  type        = list(string)
  description = "CIDR blocks (inside the VPC) allowed to connect to Redshift on 5439, e.g. a bastion or BI subnet."
  default     = []

  validation {
    condition     = !contains(var.redshift_allowed_cidrs, "0.0.0.0/0")
    error_message = "Redshift stays private: 0.0.0.0/0 is not allowed."
  }
}

# ---- EMR batch ---------------------------------------------------------------------------------

variable "emr_release_label" {
  type        = string
  description = "EMR release with Flink 1.19 (emr-7.2.0 to emr-7.5.0)."
  default     = "emr-7.5.0"

  validation {
    condition     = can(regex("^emr-7\\.[2-5]\\.[0-9]+$", var.emr_release_label))
    error_message = "The job is built for Flink 1.19, which EMR 7.2.0 to 7.5.x ship."
  }
}

variable "emr_primary_instance_type" {
  type        = string
  description = "Instance type of the EMR primary node."
  default     = "m6i.xlarge"
}

variable "emr_core_instance_type" {
  type        = string
  description = "Instance type of the EMR core nodes."
  default     = "m6i.xlarge"
}

variable "emr_core_instance_count" {
  type        = number
  description = "Number of EMR core nodes."
  default     = 2
}

variable "emr_parallelism" {
  type        = number
  description = "Flink --parallelism of the batch job on EMR."
  default     = 4
}

variable "batch_schedule_expression" {
  type        = string
  description = "EventBridge Scheduler expression that starts the batch run, e.g. cron(0 6 * * ? *)."
  default     = "cron(0 6 * * ? *)"
}

variable "batch_schedule_timezone" {
  type        = string
  description = "Time zone of the batch schedule expression."
  default     = "UTC"
}

variable "batch_schedule_enabled" {
  type        = bool
  description = "Whether the daily batch schedule is enabled (false: run the state machine by hand only)."
  default     = true
}

variable "batch_timeout_minutes" {
  type        = number
  description = "Time the EMR step may run; then the state machine terminates the cluster and reports the run failed."
  default     = 180
}

variable "emr_idle_timeout_minutes" {
  type        = number
  description = "EMR auto-termination: a cluster idle this long terminates itself, even if the state machine was stopped."
  default     = 30
}

variable "emr_in_transit_tls_zip_key" {
  type        = string
  description = "Object key, in the artifacts bucket, of a zip with privateKey.pem and certificateChain.pem for EMR in-transit TLS between the nodes; null: intra-cluster traffic is not TLS (docs/aws.md)."
  default     = null
}

# ---- Managed Service for Apache Flink ----------------------------------------------------------

variable "managed_flink_start" {
  type        = bool
  description = "Whether Terraform starts the Managed Flink application after creating it."
  default     = false
}

variable "managed_flink_parallelism" {
  type        = number
  description = "Parallelism of the Managed Flink application (the service's ParallelismConfiguration; autoscaling may change it)."
  default     = 1
}

variable "managed_flink_continuous" {
  type        = bool
  description = "Whether the Managed Flink application is a continuous job (continuous=true: it watches bronze and commits each new statistics file shortly after it lands, until stopped; snapshots on, restored from the latest, the no-commit alarm) or runs the batch graph once (continuous=false)."
  default     = true
}

variable "managed_flink_watch_interval" {
  type        = string
  description = "How often the continuous Managed Flink job lists bronze (its watchInterval property, an ISO-8601 duration such as PT1M)."
  default     = "PT1M"

  validation {
    condition     = can(regex("^PT([0-9]+H)?([0-9]+M)?([0-9]+S)?$", var.managed_flink_watch_interval)) && var.managed_flink_watch_interval != "PT"
    error_message = "An ISO-8601 duration of hours, minutes and seconds, such as PT30S, PT1M or PT1H."
  }
}

variable "managed_flink_commit_delay" {
  type        = string
  description = "How long the continuous Managed Flink job lets a partition collect new rows, from its first one, before committing it (its commitDelay property, an ISO-8601 duration such as PT1M)."
  default     = "PT1M"

  validation {
    condition     = can(regex("^PT([0-9]+H)?([0-9]+M)?([0-9]+S)?$", var.managed_flink_commit_delay)) && var.managed_flink_commit_delay != "PT"
    error_message = "An ISO-8601 duration of hours, minutes and seconds, such as PT0S, PT1M or PT10M."
  }
}

variable "managed_flink_no_commit_alarm_minutes" {
  type        = number
  description = "Window of the continuous Managed Flink job's no-commit alarm, in minutes: it fires when in two windows in a row statistics files landed in bronze and the job committed nothing. At least the time between two uploads (the hourly ingest in continuous_managed_flink mode) and well above watchInterval + commitDelay."
  default     = 60

  validation {
    condition     = var.managed_flink_no_commit_alarm_minutes >= 5 && var.managed_flink_no_commit_alarm_minutes <= 720 && floor(var.managed_flink_no_commit_alarm_minutes) == var.managed_flink_no_commit_alarm_minutes
    error_message = "Whole minutes from 5 to 720 (the alarm looks at two windows, CloudWatch at most at a day)."
  }
}

variable "managed_flink_parallelism_per_kpu" {
  type        = number
  description = "Parallel tasks per KPU of the Managed Flink application."
  default     = 1
}

variable "managed_flink_autoscaling" {
  type        = bool
  description = "Whether the service may scale the Managed Flink application's parallelism."
  default     = false
}

variable "managed_flink_checkpoint_interval_ms" {
  type        = number
  description = "Checkpoint interval of the Managed Flink application, in milliseconds."
  default     = 60000
}

variable "managed_flink_min_pause_between_checkpoints_ms" {
  type        = number
  description = "Minimum pause between two checkpoints of the Managed Flink application, in milliseconds."
  default     = 5000
}

variable "managed_flink_log_level" {
  type        = string
  description = "Log level of the Managed Flink application (INFO, WARN, ERROR, DEBUG)."
  default     = "INFO"
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the CloudWatch log groups (Managed Flink, Step Functions)."
  default     = 30
}

# ---- Redshift Serverless -----------------------------------------------------------------------

variable "warehouse_load" {
  type        = string
  description = "How the job loads Redshift Serverless after gold (its --warehouseLoad): copy (COPY from the gold Parquet, then MERGE), jdbc (rows over JDBC), or none (no warehouse load). redshift.tf checks the value."
  default     = "copy"
}

variable "redshift_database" {
  type        = string
  description = "Name of the Redshift database."
  default     = "trendlake"
}

variable "redshift_admin_username" {
  type        = string
  description = "Redshift admin user name; its password is generated and kept by Secrets Manager."
  default     = "trendlake_admin"
}

variable "redshift_base_capacity" {
  type        = number
  description = "Base capacity of the Redshift Serverless workgroup in RPUs (8 is the minimum)."
  default     = 8
}

variable "redshift_max_rpu_hours_per_day" {
  type        = number
  description = "Usage limit: Redshift Serverless RPU-hours per day before queries are stopped (cost guard)."
  default     = 8
}

# ---- ingestion and monitoring ------------------------------------------------------------------

variable "ingestion_principal_arns" {
  type        = list(string)
  description = "IAM principals (roles or users) outside this deployment that may assume a role to upload bronze; empty: no such role."
  default     = []
}

variable "ingest_regions" {
  type        = list(string)
  description = "Region codes the scheduled ingest fetches from the YouTube Data API (its --regions); null: var.regions."
  default     = null
}

variable "ingest_schedule_expression" {
  type        = string
  description = "EventBridge Scheduler expression for ingest when no batch runs it (deployment_mode continuous_managed_flink)."
  default     = "cron(5 * * * ? *)"
}

variable "ingest_timeout_minutes" {
  type        = number
  description = "Time the ingest task may run in the batch state machine before the run goes on without it."
  default     = 30
}

variable "ingest_subnet_ids" {
  type        = list(string)
  description = "Subnets of the ingest task; they need a route to the internet (the YouTube API, public ECR): private subnets with a NAT gateway, or public subnets with ingest_assign_public_ip = true. Empty: private_subnet_ids."
  default     = []
}

variable "ingest_assign_public_ip" {
  type        = bool
  description = "Give the ingest task a public IP (set true with public ingest_subnet_ids)."
  default     = false
}

variable "ingest_images" {
  type        = map(string)
  description = "Container images of the ingest task: fetch (AWS CLI, copies the jar from S3) and java (a JRE 17 that runs it). Pin digests in production."
  default = {
    fetch = "public.ecr.aws/aws-cli/aws-cli:latest"
    java  = "public.ecr.aws/amazoncorretto/amazoncorretto:17"
  }
}

variable "metrics_heartbeat_hours" {
  type        = number
  description = "Alarm when the scheduled job published no Records metric for this many hours (a failed run, or a publish that failed)."
  default     = 26
}

variable "alarm_email" {
  type        = string
  description = "E-mail address subscribed to the alarm topic; empty: no subscription."
  default     = ""
}

variable "quarantine_ratio_threshold" {
  type        = number
  description = "Alarm when a run quarantines more than this fraction of the records it read (0.05 = 5 %)."
  default     = 0.05
}

variable "quality_pass_rate_threshold" {
  type        = number
  description = "Alarm when a run passes less than this fraction of its data-quality rules (1 = any failed rule, warn included)."
  default     = 1
}

variable "athena_bytes_scanned_cutoff" {
  type        = number
  description = "Athena cancels a query of the workgroup that scans more than this many bytes (cost guard)."
  default     = 10737418240
}
