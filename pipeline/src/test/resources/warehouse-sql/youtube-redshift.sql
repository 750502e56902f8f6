CREATE SCHEMA IF NOT EXISTS trendlake;

CREATE TABLE IF NOT EXISTS trendlake.dim_region (
  region_code VARCHAR(8) NOT NULL,
  CONSTRAINT dim_region_pkey PRIMARY KEY (region_code)
)
DISTSTYLE ALL
SORTKEY (region_code);

CREATE TABLE IF NOT EXISTS trendlake.dim_category (
  region_code VARCHAR(8) NOT NULL,
  category_id BIGINT NOT NULL,
  title VARCHAR(256),
  assignable BOOLEAN,
  CONSTRAINT dim_category_pkey PRIMARY KEY (region_code, category_id)
)
DISTSTYLE ALL
COMPOUND SORTKEY (region_code, category_id);

CREATE TABLE IF NOT EXISTS trendlake.dim_channel (
  channel_key BIGINT NOT NULL,
  channel_title VARCHAR(1024),
  channel_id VARCHAR(64),
  last_date_key INTEGER NOT NULL,
  CONSTRAINT dim_channel_pkey PRIMARY KEY (channel_key)
)
DISTSTYLE ALL
SORTKEY (channel_key);

CREATE TABLE IF NOT EXISTS trendlake.dim_video (
  video_id VARCHAR(32) NOT NULL,
  title VARCHAR(1024),
  channel_key BIGINT NOT NULL,
  category_id BIGINT NOT NULL,
  publish_time TIMESTAMP NOT NULL,
  tags VARCHAR(65535),
  last_date_key INTEGER NOT NULL,
  CONSTRAINT dim_video_pkey PRIMARY KEY (video_id)
)
DISTKEY (video_id)
SORTKEY (video_id);

CREATE TABLE IF NOT EXISTS trendlake.dim_date (
  date_key INTEGER NOT NULL,
  date DATE NOT NULL,
  year SMALLINT NOT NULL,
  month SMALLINT NOT NULL,
  day SMALLINT NOT NULL,
  day_of_week SMALLINT NOT NULL,
  iso_week SMALLINT NOT NULL,
  CONSTRAINT dim_date_pkey PRIMARY KEY (date_key)
)
DISTSTYLE ALL
SORTKEY (date_key);

CREATE TABLE IF NOT EXISTS trendlake.fact_video_trending (
  region_code VARCHAR(8) NOT NULL,
  video_id VARCHAR(32) NOT NULL,
  date_key INTEGER NOT NULL,
  category_id BIGINT NOT NULL,
  channel_key BIGINT NOT NULL,
  views BIGINT NOT NULL,
  likes BIGINT,
  dislikes BIGINT,
  comment_count BIGINT,
  comments_disabled BOOLEAN NOT NULL,
  ratings_disabled BOOLEAN NOT NULL,
  video_error_or_removed BOOLEAN,
  CONSTRAINT fact_video_trending_pkey PRIMARY KEY (region_code, video_id, date_key)
)
DISTKEY (video_id)
COMPOUND SORTKEY (date_key, region_code);

CREATE TABLE IF NOT EXISTS trendlake.load_run (
  run_id VARCHAR(64) NOT NULL,
  loaded_at TIMESTAMP NOT NULL,
  fact_rows BIGINT NOT NULL,
  CONSTRAINT load_run_pkey PRIMARY KEY (run_id)
)
DISTSTYLE ALL
SORTKEY (run_id);

DELETE FROM trendlake.load_run WHERE run_id = ?;

DROP TABLE IF EXISTS trendlake.stg_fact_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.stg_batch_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.stg_category_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.src_region_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.src_channel_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.src_video_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.src_date_82f3e9c695dc;

CREATE TABLE trendlake.stg_fact_82f3e9c695dc (batch_id VARCHAR(64), region_code VARCHAR(8), video_id VARCHAR(32), date_key INTEGER, category_id BIGINT, channel_key BIGINT, channel_id VARCHAR(64), channel_title VARCHAR(1024), title VARCHAR(1024), publish_time TIMESTAMP, tags VARCHAR(65535), views BIGINT, likes BIGINT, dislikes BIGINT, comment_count BIGINT, comments_disabled BOOLEAN, ratings_disabled BOOLEAN, video_error_or_removed BOOLEAN) DISTKEY (video_id) SORTKEY (batch_id);

CREATE TABLE trendlake.stg_batch_82f3e9c695dc (batch_id VARCHAR(64), region_code VARCHAR(8), date_key INTEGER, rows BIGINT) DISTSTYLE ALL;

CREATE TABLE trendlake.stg_category_82f3e9c695dc (region_code VARCHAR(8), category_id BIGINT, title VARCHAR(256), assignable BOOLEAN) DISTSTYLE ALL;

CREATE TABLE trendlake.src_region_82f3e9c695dc (region_code VARCHAR(8)) DISTSTYLE ALL;

CREATE TABLE trendlake.src_channel_82f3e9c695dc (channel_key BIGINT, channel_title VARCHAR(1024), channel_id VARCHAR(64), last_date_key INTEGER) DISTSTYLE ALL;

CREATE TABLE trendlake.src_video_82f3e9c695dc (video_id VARCHAR(32), title VARCHAR(1024), channel_key BIGINT, category_id BIGINT, publish_time TIMESTAMP, tags VARCHAR(65535), last_date_key INTEGER) DISTKEY (video_id);

CREATE TABLE trendlake.src_date_82f3e9c695dc (date_key INTEGER, date DATE, year SMALLINT, month SMALLINT, day SMALLINT, day_of_week SMALLINT, iso_week SMALLINT) DISTSTYLE ALL;

SELECT batch_id FROM trendlake.stg_batch_82f3e9c695dc WHERE batch_id IN (?, ?, ?);

DELETE FROM trendlake.stg_fact_82f3e9c695dc WHERE batch_id IN (?, ?, ?);

DELETE FROM trendlake.stg_batch_82f3e9c695dc WHERE batch_id IN (?, ?, ?);

INSERT INTO trendlake.stg_batch_82f3e9c695dc (batch_id, region_code, date_key, rows) VALUES (?, ?, ?, ?);

COPY trendlake.stg_fact_82f3e9c695dc (batch_id, region_code, video_id, date_key, category_id, channel_key, channel_id, channel_title, title, publish_time, tags, views, likes, dislikes, comment_count, comments_disabled, ratings_disabled, video_error_or_removed) FROM STDIN;

INSERT INTO trendlake.stg_fact_82f3e9c695dc (batch_id, region_code, video_id, date_key, category_id, channel_key, channel_id, channel_title, title, publish_time, tags, views, likes, dislikes, comment_count, comments_disabled, ratings_disabled, video_error_or_removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

CREATE TEMP TABLE gold_landing (video_id VARCHAR(1024), title VARCHAR(1024), channel_title VARCHAR(1024), channel_id VARCHAR(1024), category_id BIGINT, category_title VARCHAR(1024), publish_time TIMESTAMP, tags SUPER, views BIGINT, likes BIGINT, dislikes BIGINT, comment_count BIGINT, thumbnail_link VARCHAR(1024), comments_disabled BOOLEAN, ratings_disabled BOOLEAN, video_error_or_removed BOOLEAN, description VARCHAR(65535));

INSERT INTO trendlake.stg_fact_82f3e9c695dc (batch_id, region_code, video_id, date_key, category_id, channel_key, channel_id, channel_title, title, publish_time, tags, views, likes, dislikes, comment_count, comments_disabled, ratings_disabled, video_error_or_removed)
SELECT ?, ?, video_id, ?, category_id, STRTOL(LEFT(SHA2(CASE WHEN channel_id IS NOT NULL AND channel_id <> '' THEN 'id:' || channel_id ELSE 'title:' || COALESCE(channel_title, '') END, 256), 15), 16), channel_id, channel_title, title, publish_time, JSON_SERIALIZE(tags), views, likes, dislikes, comment_count, comments_disabled, ratings_disabled, video_error_or_removed FROM gold_landing;

SELECT fact_rows FROM trendlake.load_run WHERE run_id = ?;

SELECT COUNT(*) FROM trendlake.stg_fact_82f3e9c695dc;

DELETE FROM trendlake.stg_category_82f3e9c695dc;

DELETE FROM trendlake.src_region_82f3e9c695dc;

DELETE FROM trendlake.src_channel_82f3e9c695dc;

DELETE FROM trendlake.src_video_82f3e9c695dc;

DELETE FROM trendlake.src_date_82f3e9c695dc;

INSERT INTO trendlake.stg_category_82f3e9c695dc (region_code, category_id, title, assignable) VALUES (?, ?, ?, ?);

INSERT INTO trendlake.stg_category_82f3e9c695dc (region_code, category_id, title, assignable)
SELECT region_code, category_id, 'Unknown', CAST(NULL AS BOOLEAN) FROM (SELECT DISTINCT region_code, category_id FROM trendlake.stg_fact_82f3e9c695dc) f WHERE NOT EXISTS (SELECT 1 FROM trendlake.stg_category_82f3e9c695dc c WHERE c.region_code = f.region_code AND c.category_id = f.category_id) AND NOT EXISTS (SELECT 1 FROM trendlake.dim_category d WHERE d.region_code = f.region_code AND d.category_id = f.category_id);

INSERT INTO trendlake.src_region_82f3e9c695dc (region_code) SELECT region_code FROM trendlake.stg_batch_82f3e9c695dc UNION SELECT region_code FROM trendlake.stg_category_82f3e9c695dc;

INSERT INTO trendlake.src_channel_82f3e9c695dc (channel_key, channel_title, channel_id, last_date_key)
SELECT channel_key, channel_title, channel_id, date_key FROM (SELECT channel_key, channel_title, channel_id, date_key, ROW_NUMBER() OVER (PARTITION BY channel_key ORDER BY date_key DESC, region_code, video_id) AS rn FROM trendlake.stg_fact_82f3e9c695dc) x WHERE rn = 1;

INSERT INTO trendlake.src_video_82f3e9c695dc (video_id, title, channel_key, category_id, publish_time, tags, last_date_key)
SELECT video_id, title, channel_key, category_id, publish_time, tags, date_key FROM (SELECT video_id, title, channel_key, category_id, publish_time, tags, date_key, ROW_NUMBER() OVER (PARTITION BY video_id ORDER BY date_key DESC, region_code) AS rn FROM trendlake.stg_fact_82f3e9c695dc) x WHERE rn = 1;

SELECT DISTINCT date_key FROM trendlake.stg_batch_82f3e9c695dc;

INSERT INTO trendlake.src_date_82f3e9c695dc (date_key, date, year, month, day, day_of_week, iso_week) VALUES (?, ?, ?, ?, ?, ?, ?);

LOCK trendlake.dim_region, trendlake.dim_category, trendlake.dim_channel, trendlake.dim_video, trendlake.dim_date, trendlake.fact_video_trending;

SELECT 1 FROM trendlake.dim_region LIMIT 1;

SELECT 1 FROM trendlake.dim_category LIMIT 1;

SELECT 1 FROM trendlake.dim_channel LIMIT 1;

SELECT 1 FROM trendlake.dim_video LIMIT 1;

SELECT 1 FROM trendlake.dim_date LIMIT 1;

SELECT 1 FROM trendlake.fact_video_trending LIMIT 1;

ALTER TABLE trendlake.dim_category DROP CONSTRAINT IF EXISTS fk_category_region;

ALTER TABLE trendlake.dim_video DROP CONSTRAINT IF EXISTS fk_video_channel;

ALTER TABLE trendlake.fact_video_trending DROP CONSTRAINT IF EXISTS fk_fact_region;

ALTER TABLE trendlake.fact_video_trending DROP CONSTRAINT IF EXISTS fk_fact_category;

ALTER TABLE trendlake.fact_video_trending DROP CONSTRAINT IF EXISTS fk_fact_channel;

ALTER TABLE trendlake.fact_video_trending DROP CONSTRAINT IF EXISTS fk_fact_video;

ALTER TABLE trendlake.fact_video_trending DROP CONSTRAINT IF EXISTS fk_fact_date;

ALTER TABLE trendlake.dim_region DROP CONSTRAINT IF EXISTS dim_region_pkey;

ALTER TABLE trendlake.dim_category DROP CONSTRAINT IF EXISTS dim_category_pkey;

ALTER TABLE trendlake.dim_channel DROP CONSTRAINT IF EXISTS dim_channel_pkey;

ALTER TABLE trendlake.dim_video DROP CONSTRAINT IF EXISTS dim_video_pkey;

ALTER TABLE trendlake.dim_date DROP CONSTRAINT IF EXISTS dim_date_pkey;

ALTER TABLE trendlake.fact_video_trending DROP CONSTRAINT IF EXISTS fact_video_trending_pkey;

TRUNCATE trendlake.dim_region, trendlake.dim_category, trendlake.dim_channel, trendlake.dim_video, trendlake.dim_date, trendlake.fact_video_trending;

DELETE FROM trendlake.fact_video_trending WHERE EXISTS (SELECT 1 FROM trendlake.stg_fact_82f3e9c695dc s WHERE s.region_code = fact_video_trending.region_code AND s.date_key = fact_video_trending.date_key) AND NOT EXISTS (SELECT 1 FROM trendlake.stg_fact_82f3e9c695dc s WHERE s.region_code = fact_video_trending.region_code AND s.date_key = fact_video_trending.date_key AND s.video_id = fact_video_trending.video_id);

DELETE FROM trendlake.fact_video_trending WHERE region_code = ? AND date_key = ?;

INSERT INTO trendlake.dim_region (region_code) SELECT region_code FROM trendlake.src_region_82f3e9c695dc;

INSERT INTO trendlake.dim_category (region_code, category_id, title, assignable) SELECT region_code, category_id, title, assignable FROM trendlake.stg_category_82f3e9c695dc;

INSERT INTO trendlake.dim_channel (channel_key, channel_title, channel_id, last_date_key) SELECT channel_key, channel_title, channel_id, last_date_key FROM trendlake.src_channel_82f3e9c695dc;

INSERT INTO trendlake.dim_video (video_id, title, channel_key, category_id, publish_time, tags, last_date_key) SELECT video_id, title, channel_key, category_id, publish_time, tags, last_date_key FROM trendlake.src_video_82f3e9c695dc;

INSERT INTO trendlake.dim_date (date_key, date, year, month, day, day_of_week, iso_week) SELECT date_key, date, year, month, day, day_of_week, iso_week FROM trendlake.src_date_82f3e9c695dc;

INSERT INTO trendlake.fact_video_trending (region_code, video_id, date_key, category_id, channel_key, views, likes, dislikes, comment_count, comments_disabled, ratings_disabled, video_error_or_removed) SELECT region_code, video_id, date_key, category_id, channel_key, views, likes, dislikes, comment_count, comments_disabled, ratings_disabled, video_error_or_removed FROM trendlake.stg_fact_82f3e9c695dc;

MERGE INTO trendlake.dim_region USING trendlake.src_region_82f3e9c695dc AS src ON dim_region.region_code = src.region_code
WHEN MATCHED THEN UPDATE SET region_code = src.region_code
WHEN NOT MATCHED THEN INSERT (region_code) VALUES (src.region_code);

MERGE INTO trendlake.dim_category USING trendlake.stg_category_82f3e9c695dc AS src ON dim_category.region_code = src.region_code AND dim_category.category_id = src.category_id
WHEN MATCHED THEN UPDATE SET title = src.title, assignable = src.assignable
WHEN NOT MATCHED THEN INSERT (region_code, category_id, title, assignable) VALUES (src.region_code, src.category_id, src.title, src.assignable);

MERGE INTO trendlake.dim_channel USING trendlake.src_channel_82f3e9c695dc AS src ON dim_channel.channel_key = src.channel_key
WHEN MATCHED THEN UPDATE SET channel_title = CASE WHEN src.last_date_key >= dim_channel.last_date_key THEN src.channel_title ELSE dim_channel.channel_title END, channel_id = CASE WHEN src.last_date_key >= dim_channel.last_date_key THEN src.channel_id ELSE dim_channel.channel_id END, last_date_key = CASE WHEN src.last_date_key >= dim_channel.last_date_key THEN src.last_date_key ELSE dim_channel.last_date_key END
WHEN NOT MATCHED THEN INSERT (channel_key, channel_title, channel_id, last_date_key) VALUES (src.channel_key, src.channel_title, src.channel_id, src.last_date_key);

MERGE INTO trendlake.dim_video USING trendlake.src_video_82f3e9c695dc AS src ON dim_video.video_id = src.video_id
WHEN MATCHED THEN UPDATE SET title = CASE WHEN src.last_date_key >= dim_video.last_date_key THEN src.title ELSE dim_video.title END, channel_key = CASE WHEN src.last_date_key >= dim_video.last_date_key THEN src.channel_key ELSE dim_video.channel_key END, category_id = CASE WHEN src.last_date_key >= dim_video.last_date_key THEN src.category_id ELSE dim_video.category_id END, publish_time = CASE WHEN src.last_date_key >= dim_video.last_date_key THEN src.publish_time ELSE dim_video.publish_time END, tags = CASE WHEN src.last_date_key >= dim_video.last_date_key THEN src.tags ELSE dim_video.tags END, last_date_key = CASE WHEN src.last_date_key >= dim_video.last_date_key THEN src.last_date_key ELSE dim_video.last_date_key END
WHEN NOT MATCHED THEN INSERT (video_id, title, channel_key, category_id, publish_time, tags, last_date_key) VALUES (src.video_id, src.title, src.channel_key, src.category_id, src.publish_time, src.tags, src.last_date_key);

MERGE INTO trendlake.dim_date USING trendlake.src_date_82f3e9c695dc AS src ON dim_date.date_key = src.date_key
WHEN MATCHED THEN UPDATE SET date = src.date, year = src.year, month = src.month, day = src.day, day_of_week = src.day_of_week, iso_week = src.iso_week
WHEN NOT MATCHED THEN INSERT (date_key, date, year, month, day, day_of_week, iso_week) VALUES (src.date_key, src.date, src.year, src.month, src.day, src.day_of_week, src.iso_week);

MERGE INTO trendlake.fact_video_trending USING trendlake.stg_fact_82f3e9c695dc AS src ON fact_video_trending.region_code = src.region_code AND fact_video_trending.video_id = src.video_id AND fact_video_trending.date_key = src.date_key
WHEN MATCHED THEN UPDATE SET category_id = src.category_id, channel_key = src.channel_key, views = src.views, likes = src.likes, dislikes = src.dislikes, comment_count = src.comment_count, comments_disabled = src.comments_disabled, ratings_disabled = src.ratings_disabled, video_error_or_removed = src.video_error_or_removed
WHEN NOT MATCHED THEN INSERT (region_code, video_id, date_key, category_id, channel_key, views, likes, dislikes, comment_count, comments_disabled, ratings_disabled, video_error_or_removed) VALUES (src.region_code, src.video_id, src.date_key, src.category_id, src.channel_key, src.views, src.likes, src.dislikes, src.comment_count, src.comments_disabled, src.ratings_disabled, src.video_error_or_removed);

ALTER TABLE trendlake.dim_region ADD CONSTRAINT dim_region_pkey PRIMARY KEY (region_code);

ALTER TABLE trendlake.dim_category ADD CONSTRAINT dim_category_pkey PRIMARY KEY (region_code, category_id);

ALTER TABLE trendlake.dim_channel ADD CONSTRAINT dim_channel_pkey PRIMARY KEY (channel_key);

ALTER TABLE trendlake.dim_video ADD CONSTRAINT dim_video_pkey PRIMARY KEY (video_id);

ALTER TABLE trendlake.dim_date ADD CONSTRAINT dim_date_pkey PRIMARY KEY (date_key);

ALTER TABLE trendlake.fact_video_trending ADD CONSTRAINT fact_video_trending_pkey PRIMARY KEY (region_code, video_id, date_key);

ALTER TABLE trendlake.dim_category ADD CONSTRAINT fk_category_region FOREIGN KEY (region_code) REFERENCES trendlake.dim_region (region_code);

ALTER TABLE trendlake.dim_video ADD CONSTRAINT fk_video_channel FOREIGN KEY (channel_key) REFERENCES trendlake.dim_channel (channel_key);

ALTER TABLE trendlake.fact_video_trending ADD CONSTRAINT fk_fact_region FOREIGN KEY (region_code) REFERENCES trendlake.dim_region (region_code);

ALTER TABLE trendlake.fact_video_trending ADD CONSTRAINT fk_fact_category FOREIGN KEY (region_code, category_id) REFERENCES trendlake.dim_category (region_code, category_id);

ALTER TABLE trendlake.fact_video_trending ADD CONSTRAINT fk_fact_channel FOREIGN KEY (channel_key) REFERENCES trendlake.dim_channel (channel_key);

ALTER TABLE trendlake.fact_video_trending ADD CONSTRAINT fk_fact_video FOREIGN KEY (video_id) REFERENCES trendlake.dim_video (video_id);

ALTER TABLE trendlake.fact_video_trending ADD CONSTRAINT fk_fact_date FOREIGN KEY (date_key) REFERENCES trendlake.dim_date (date_key);

SELECT constraint_name FROM information_schema.table_constraints WHERE table_schema = ? AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY');

ALTER TABLE trendlake.dim_category ADD CONSTRAINT fk_category_region FOREIGN KEY (region_code) REFERENCES trendlake.dim_region (region_code);

ALTER TABLE trendlake.dim_video ADD CONSTRAINT fk_video_channel FOREIGN KEY (channel_key) REFERENCES trendlake.dim_channel (channel_key);

ALTER TABLE trendlake.fact_video_trending ADD CONSTRAINT fk_fact_region FOREIGN KEY (region_code) REFERENCES trendlake.dim_region (region_code);

ALTER TABLE trendlake.fact_video_trending ADD CONSTRAINT fk_fact_category FOREIGN KEY (region_code, category_id) REFERENCES trendlake.dim_category (region_code, category_id);

INSERT INTO trendlake.dim_category (region_code, category_id, title, assignable) SELECT DISTINCT f.region_code, f.category_id, 'Unknown', CAST(NULL AS BOOLEAN) FROM trendlake.fact_video_trending f WHERE NOT EXISTS (SELECT 1 FROM trendlake.dim_category d WHERE d.region_code = f.region_code AND d.category_id = f.category_id);

ALTER TABLE trendlake.fact_video_trending ADD CONSTRAINT fk_fact_channel FOREIGN KEY (channel_key) REFERENCES trendlake.dim_channel (channel_key);

ALTER TABLE trendlake.fact_video_trending ADD CONSTRAINT fk_fact_video FOREIGN KEY (video_id) REFERENCES trendlake.dim_video (video_id);

ALTER TABLE trendlake.fact_video_trending ADD CONSTRAINT fk_fact_date FOREIGN KEY (date_key) REFERENCES trendlake.dim_date (date_key);

INSERT INTO trendlake.load_run (run_id, loaded_at, fact_rows) VALUES (?, ?, ?);

DROP TABLE IF EXISTS trendlake.stg_fact_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.stg_batch_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.stg_category_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.src_region_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.src_channel_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.src_video_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.src_date_82f3e9c695dc;
