# Glue Data Catalog and Athena. The tables use partition projection (region: an enum of
# var.regions, trending_date: a date range up to today), so new partitions are queryable the
# moment the job commits them: no crawler, no MSCK REPAIR, no Glue partition API calls.
# Column names and types must equal the Parquet schemas in
# pipeline/src/main/java/dev/trendlake/pipeline/io/Schemas.java; TerraformTest reads both.

resource "aws_glue_catalog_database" "trendlake" {
  name        = replace(local.name, "-", "_")
  description = "trendlake silver and gold tables (Parquet written by the Beam job)"
}

# Gold: one row per region, video and trending day, categories joined.
# Columns: exactly Schemas.GOLD (TerraformTest compares them).
resource "aws_glue_catalog_table" "gold_trending" {
  database_name = aws_glue_catalog_database.trendlake.name
  name          = "gold_trending"
  description   = "Gold: one row per region, video and trending day, categories joined."
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    "EXTERNAL"                             = "TRUE"
    "classification"                       = "parquet"
    "projection.enabled"                   = "true"
    "projection.region.type"               = "enum"
    "projection.region.values"             = join(",", var.regions)
    "projection.trending_date.type"        = "date"
    "projection.trending_date.format"      = "yyyy-MM-dd"
    "projection.trending_date.range"       = "${var.trending_date_start},NOW"
    "projection.trending_date.interval"    = "1"
    "projection.trending_date.interval.unit" = "DAYS"
    "storage.location.template"            = "s3://${local.lake_bucket_name}/gold/trending/region=$${region}/trending_date=$${trending_date}"
  }

  partition_keys {
    name = "region"
    type = "string"
  }

  partition_keys {
    name = "trending_date"
    type = "date"
  }

  storage_descriptor {
    location = "s3://${local.lake_bucket_name}/gold/trending/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    }

    columns {
      name = "video_id"
      type = "string"
    }

    columns {
      name = "title"
      type = "string"
    }

    columns {
      name = "channel_title"
      type = "string"
    }

    columns {
      name = "channel_id"
      type = "string"
    }

    columns {
      name = "category_id"
      type = "bigint"
    }

    columns {
      name = "category_title"
      type = "string"
    }

    columns {
      name = "publish_time"
      type = "timestamp"
    }

    columns {
      name = "tags"
      type = "array<string>"
    }

    columns {
      name = "views"
      type = "bigint"
    }

    columns {
      name = "likes"
      type = "bigint"
    }

    columns {
      name = "dislikes"
      type = "bigint"
    }

    columns {
      name = "comment_count"
      type = "bigint"
    }

    columns {
      name = "thumbnail_link"
      type = "string"
    }

    columns {
      name = "comments_disabled"
      type = "boolean"
    }

    columns {
      name = "ratings_disabled"
      type = "boolean"
    }

    columns {
      name = "video_error_or_removed"
      type = "boolean"
    }

    columns {
      name = "description"
      type = "string"
    }
  }
}

# Silver: cleaned, deduplicated statistics rows with their source file and line.
# Columns: exactly Schemas.SILVER_STATISTICS (TerraformTest compares them).
resource "aws_glue_catalog_table" "silver_statistics" {
  database_name = aws_glue_catalog_database.trendlake.name
  name          = "silver_statistics"
  description   = "Silver: cleaned, deduplicated statistics rows with their source file and line."
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    "EXTERNAL"                             = "TRUE"
    "classification"                       = "parquet"
    "projection.enabled"                   = "true"
    "projection.region.type"               = "enum"
    "projection.region.values"             = join(",", var.regions)
    "projection.trending_date.type"        = "date"
    "projection.trending_date.format"      = "yyyy-MM-dd"
    "projection.trending_date.range"       = "${var.trending_date_start},NOW"
    "projection.trending_date.interval"    = "1"
    "projection.trending_date.interval.unit" = "DAYS"
    "storage.location.template"            = "s3://${local.lake_bucket_name}/silver/statistics/region=$${region}/trending_date=$${trending_date}"
  }

  partition_keys {
    name = "region"
    type = "string"
  }

  partition_keys {
    name = "trending_date"
    type = "date"
  }

  storage_descriptor {
    location = "s3://${local.lake_bucket_name}/silver/statistics/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    }

    columns {
      name = "video_id"
      type = "string"
    }

    columns {
      name = "title"
      type = "string"
    }

    columns {
      name = "channel_title"
      type = "string"
    }

    columns {
      name = "channel_id"
      type = "string"
    }

    columns {
      name = "category_id"
      type = "bigint"
    }

    columns {
      name = "publish_time"
      type = "timestamp"
    }

    columns {
      name = "tags"
      type = "array<string>"
    }

    columns {
      name = "views"
      type = "bigint"
    }

    columns {
      name = "likes"
      type = "bigint"
    }

    columns {
      name = "dislikes"
      type = "bigint"
    }

    columns {
      name = "comment_count"
      type = "bigint"
    }

    columns {
      name = "thumbnail_link"
      type = "string"
    }

    columns {
      name = "comments_disabled"
      type = "boolean"
    }

    columns {
      name = "ratings_disabled"
      type = "boolean"
    }

    columns {
      name = "video_error_or_removed"
      type = "boolean"
    }

    columns {
      name = "description"
      type = "string"
    }

    columns {
      name = "source_file"
      type = "string"
    }

    columns {
      name = "source_line"
      type = "bigint"
    }
  }
}

# Silver: categories per region from the reference JSON.
# Columns: exactly Schemas.SILVER_CATEGORIES (TerraformTest compares them).
resource "aws_glue_catalog_table" "silver_categories" {
  database_name = aws_glue_catalog_database.trendlake.name
  name          = "silver_categories"
  description   = "Silver: categories per region from the reference JSON."
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    "EXTERNAL"                  = "TRUE"
    "classification"            = "parquet"
    "projection.enabled"        = "true"
    "projection.region.type"    = "enum"
    "projection.region.values"  = join(",", var.regions)
    "storage.location.template" = "s3://${local.lake_bucket_name}/silver/categories/region=$${region}"
  }

  partition_keys {
    name = "region"
    type = "string"
  }

  storage_descriptor {
    location = "s3://${local.lake_bucket_name}/silver/categories/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    }

    columns {
      name = "category_id"
      type = "bigint"
    }

    columns {
      name = "title"
      type = "string"
    }

    columns {
      name = "assignable"
      type = "boolean"
    }

    columns {
      name = "channel_id"
      type = "string"
    }

    columns {
      name = "source_file"
      type = "string"
    }
  }
}

# Quarantined statistics records (JSON Lines): why each was rejected, with the original text.
# Columns: exactly the quarantine JSON Lines fields written by WriteQuarantine (TerraformTest compares them).
resource "aws_glue_catalog_table" "quarantine_statistics" {
  database_name = aws_glue_catalog_database.trendlake.name
  name          = "quarantine_statistics"
  description   = "Quarantined statistics records (JSON Lines): why each was rejected, with the original text."
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    "EXTERNAL"                  = "TRUE"
    "classification"            = "json"
    "projection.enabled"        = "true"
    "projection.region.type"    = "enum"
    "projection.region.values"  = "${join(",", var.regions)},unknown"
    "storage.location.template" = "s3://${local.lake_bucket_name}/quarantine/statistics/region=$${region}"
  }

  partition_keys {
    name = "region"
    type = "string"
  }

  storage_descriptor {
    location = "s3://${local.lake_bucket_name}/quarantine/statistics/"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

    ser_de_info {
      serialization_library = "org.openx.data.jsonserde.JsonSerDe"
    }

    columns {
      name = "source_file"
      type = "string"
    }

    columns {
      name = "line"
      type = "bigint"
    }

    columns {
      name = "reason"
      type = "string"
    }

    columns {
      name = "detail"
      type = "string"
    }

    columns {
      name = "raw"
      type = "string"
    }

    columns {
      name = "raw_base64"
      type = "string"
    }
  }
}

# ---- Athena ------------------------------------------------------------------------------------

resource "aws_athena_workgroup" "trendlake" {
  name          = local.name
  description   = "trendlake queries; results encrypted in the artifacts bucket"
  force_destroy = true

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.athena_bytes_scanned_cutoff

    engine_version {
      selected_engine_version = "Athena engine version 3"
    }

    result_configuration {
      output_location       = "s3://${local.artifacts_bucket_name}/athena-results/"
      expected_bucket_owner = local.account_id

      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = aws_kms_key.data.arn
      }
    }
  }
}

resource "aws_athena_named_query" "top_categories_by_views" {
  name        = "top-categories-by-views-per-region"
  description = "Categories ranked by views in each region; a video counts once, with its views on its last trending day."
  workgroup   = aws_athena_workgroup.trendlake.id
  database    = aws_glue_catalog_database.trendlake.name
  query       = <<-SQL
    WITH latest AS (
      SELECT region,
             video_id,
             max_by(views, trending_date) AS views,
             max_by(coalesce(category_title, 'unknown'), trending_date) AS category
      FROM gold_trending
      GROUP BY region, video_id
    )
    SELECT region,
           category,
           sum(views) AS views,
           count(*) AS videos,
           rank() OVER (PARTITION BY region ORDER BY sum(views) DESC) AS rank_in_region
    FROM latest
    GROUP BY region, category
    ORDER BY region, rank_in_region
  SQL
}

resource "aws_athena_named_query" "daily_views_trend" {
  name        = "daily-views-trend"
  description = "Views and trending videos per day and region (add a trending_date range to scan less)."
  workgroup   = aws_athena_workgroup.trendlake.id
  database    = aws_glue_catalog_database.trendlake.name
  query       = <<-SQL
    SELECT trending_date,
           region,
           sum(views) AS views,
           count(*) AS videos,
           sum(views) - lag(sum(views)) OVER (PARTITION BY region ORDER BY trending_date) AS views_change
    FROM gold_trending
    GROUP BY trending_date, region
    ORDER BY trending_date, region
  SQL
}

resource "aws_athena_named_query" "quarantine_by_reason" {
  name        = "quarantine-by-reason"
  description = "Quarantined statistics records per region and reason, with an example."
  workgroup   = aws_athena_workgroup.trendlake.id
  database    = aws_glue_catalog_database.trendlake.name
  query       = <<-SQL
    SELECT region,
           reason,
           count(*) AS records,
           count(DISTINCT source_file) AS files,
           min_by(source_file || ':' || CAST(line AS varchar) || ' ' || detail, line) AS example
    FROM quarantine_statistics
    GROUP BY region, reason
    ORDER BY records DESC, region, reason
  SQL
}
