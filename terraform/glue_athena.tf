# Glue Data Catalog and Athena. The tables use partition projection (YouTube's region: an enum of
# var.regions, trending_date: a date range up to today; TMDB's data_type: an enum of the lists,
# dt: a date range up to today), so new partitions are queryable the moment the job commits them:
# no crawler, no MSCK REPAIR, no Glue partition API calls.
# Column names and types must equal the Parquet schemas in
# pipeline/src/main/java/dev/trendlake/pipeline/io/Schemas.java (derived from TrendingColumns,
# CategoryColumns and ShowColumns); TerraformTest reads both.

resource "aws_glue_catalog_database" "trendlake" {
  name        = replace(local.name, "-", "_")
  description = "trendlake silver and gold tables (Parquet written by the Beam job)"
}

locals {
  # Columns as "name:type", in file order.
  video_columns = [
    "video_id:string", "title:string", "channel_title:string", "channel_id:string", "category_id:bigint",
  ]
  statistics_columns = [
    "publish_time:timestamp", "tags:array<string>", "views:bigint", "likes:bigint", "dislikes:bigint",
    "comment_count:bigint", "thumbnail_link:string", "comments_disabled:boolean", "ratings_disabled:boolean",
    "video_error_or_removed:boolean", "description:string",
  ]

  # table => description, location under the lake, partitioned by date too?, columns.
  # Columns: exactly Schemas.GOLD, SILVER_STATISTICS, SILVER_CATEGORIES and the quarantine JSON
  # Lines fields written by WriteQuarantine (TerraformTest compares them).
  glue_tables = {
    gold_trending = [
      "Gold: one row per region, video and trending day, categories joined.", "gold/trending", true,
      concat(local.video_columns, ["category_title:string"], local.statistics_columns),
    ]
    silver_statistics = [
      "Silver: cleaned, deduplicated statistics rows with their source file and line.", "silver/statistics", true,
      concat(local.video_columns, local.statistics_columns, ["source_file:string", "source_line:bigint"]),
    ]
    silver_categories = [
      "Silver: categories per region from the reference JSON.", "silver/categories", false,
      ["category_id:bigint", "title:string", "assignable:boolean", "channel_id:string", "source_file:string"],
    ]
    quarantine_statistics = [
      "Quarantined statistics records (JSON Lines): why each was rejected, with the original text.", "quarantine/statistics", false,
      ["source_file:string", "line:bigint", "reason:string", "detail:string", "raw:string", "raw_base64:string"],
    ]
  }

  # TMDB (--dataset=tmdb): table => description, location under the lake, columns. Partitioned by
  # the list (data_type) and the day it was pulled (dt). Columns: exactly Schemas.silver and
  # Schemas.gold of ShowColumns (TerraformTest compares them); lists are arrays.
  show_columns = [
    "show_id:bigint", "title:string", "original_title:string", "popularity:double", "vote_average:double",
    "vote_count:bigint", "first_air_date:date", "genre_ids:array<bigint>", "origin_country:array<string>",
    "poster_path:string", "backdrop_path:string", "overview:string", "original_language:string",
    "ingestion_date:date",
  ]
  tmdb_glue_tables = {
    gold_tmdb_shows = [
      "Gold: one row per TMDB list, show and day, genre names joined in genre_ids order.", "gold/tmdb_shows",
      concat(local.show_columns, ["genre_names:array<string>"]),
    ]
    silver_tmdb_shows = [
      "Silver: cleaned, deduplicated TMDB list rows with their source file and line.", "silver/tmdb_shows",
      concat(local.show_columns, ["source_file:string", "source_line:bigint"]),
    ]
  }

  # The TMDB lists the job reads (ShowFiles.LISTS).
  tmdb_lists = ["popular", "trending", "airing_today"]

  # Parquet, or JSON Lines for quarantine (whose records may also have no region: "unknown").
  parquet = ["parquet", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat", "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"]
  json    = ["json", "org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat", "org.openx.data.jsonserde.JsonSerDe"]

  table_format    = { for t, d in local.glue_tables : t => startswith(t, "quarantine") ? local.json : local.parquet }
  date_projection = { for t, d in local.glue_tables : t => d[2] ? tomap(local.trending_date_projection) : tomap({}) }

  trending_date_projection = {
    "projection.trending_date.type"          = "date"
    "projection.trending_date.format"        = "yyyy-MM-dd"
    "projection.trending_date.range"         = "${var.trending_date_start},NOW"
    "projection.trending_date.interval"      = "1"
    "projection.trending_date.interval.unit" = "DAYS"
  }
}

resource "aws_glue_catalog_table" "this" {
  for_each = local.glue_tables

  database_name = aws_glue_catalog_database.trendlake.name
  name          = each.key
  description   = each.value[0]
  table_type    = "EXTERNAL_TABLE"

  parameters = merge(local.date_projection[each.key], {
    "EXTERNAL"                  = "TRUE"
    "classification"            = local.table_format[each.key][0]
    "projection.enabled"        = "true"
    "projection.region.type"    = "enum"
    "projection.region.values"  = join(",", concat(var.regions, startswith(each.key, "quarantine") ? ["unknown"] : []))
    "storage.location.template" = "s3://${local.bucket_names.lake}/${each.value[1]}/region=$${region}${each.value[2] ? "/trending_date=$${trending_date}" : ""}"
  })

  partition_keys {
    name = "region"
    type = "string"
  }

  dynamic "partition_keys" {
    for_each = each.value[2] ? ["trending_date"] : []

    content {
      name = partition_keys.value
      type = "date"
    }
  }

  storage_descriptor {
    location      = "s3://${local.bucket_names.lake}/${each.value[1]}/"
    input_format  = local.table_format[each.key][1]
    output_format = local.table_format[each.key][2]

    ser_de_info {
      serialization_library = local.table_format[each.key][3]
    }

    dynamic "columns" {
      for_each = each.value[3]

      content {
        name = split(":", columns.value)[0]
        type = split(":", columns.value)[1]
      }
    }
  }
}

resource "aws_glue_catalog_table" "tmdb" {
  for_each = local.tmdb_glue_tables

  database_name = aws_glue_catalog_database.trendlake.name
  name          = each.key
  description   = each.value[0]
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    "EXTERNAL"                    = "TRUE"
    "classification"              = local.parquet[0]
    "projection.enabled"          = "true"
    "projection.data_type.type"   = "enum"
    "projection.data_type.values" = join(",", local.tmdb_lists)
    "projection.dt.type"          = "date"
    "projection.dt.format"        = "yyyy-MM-dd"
    "projection.dt.range"         = "${var.tmdb_dt_start},NOW"
    "projection.dt.interval"      = "1"
    "projection.dt.interval.unit" = "DAYS"
    "storage.location.template"   = "s3://${local.bucket_names.lake}/${each.value[1]}/data_type=$${data_type}/dt=$${dt}"
  }

  partition_keys {
    name = "data_type"
    type = "string"
  }

  partition_keys {
    name = "dt"
    type = "date"
  }

  storage_descriptor {
    location      = "s3://${local.bucket_names.lake}/${each.value[1]}/"
    input_format  = local.parquet[1]
    output_format = local.parquet[2]

    ser_de_info {
      serialization_library = local.parquet[3]
    }

    dynamic "columns" {
      for_each = each.value[2]

      content {
        name = split(":", columns.value)[0]
        type = split(":", columns.value)[1]
      }
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
      output_location       = "s3://${local.bucket_names.artifacts}/athena-results/"
      expected_bucket_owner = local.account_id

      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = aws_kms_key.data.arn
      }
    }
  }
}

locals {
  # Saved queries of the workgroup: name => description, and name => SQL.
  named_queries = {
    top-categories-by-views-per-region = "Categories ranked by views in each region; a video counts once, with its views on its last trending day."
    daily-views-trend                  = "Views and trending videos per day and region (add a trending_date range to scan less)."
    quarantine-by-reason               = "Quarantined statistics records per region and reason, with an example."
  }

  named_query_sql = {
    top-categories-by-views-per-region = <<-SQL
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
    daily-views-trend = <<-SQL
      SELECT trending_date,
             region,
             sum(views) AS views,
             count(*) AS videos,
             sum(views) - lag(sum(views)) OVER (PARTITION BY region ORDER BY trending_date) AS views_change
      FROM gold_trending
      GROUP BY trending_date, region
      ORDER BY trending_date, region
    SQL
    quarantine-by-reason = <<-SQL
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
}

resource "aws_athena_named_query" "this" {
  for_each = local.named_queries

  name        = each.key
  description = each.value
  workgroup   = aws_athena_workgroup.trendlake.id
  database    = aws_glue_catalog_database.trendlake.name
  query       = local.named_query_sql[each.key]
}
