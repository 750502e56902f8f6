CREATE SCHEMA IF NOT EXISTS trendlake;

CREATE TABLE IF NOT EXISTS trendlake.dim_genre (
  genre_id bigint NOT NULL,
  name text NOT NULL,
  CONSTRAINT dim_genre_pkey PRIMARY KEY (genre_id)
);

CREATE TABLE IF NOT EXISTS trendlake.dim_show (
  show_id bigint NOT NULL,
  title text NOT NULL,
  original_title text,
  original_language text,
  first_air_date date,
  poster_path text,
  backdrop_path text,
  overview text,
  origin_country text NOT NULL,
  last_date_key integer NOT NULL,
  CONSTRAINT dim_show_pkey PRIMARY KEY (show_id)
);

CREATE TABLE IF NOT EXISTS trendlake.bridge_show_genre (
  show_id bigint NOT NULL,
  genre_id bigint NOT NULL,
  position integer NOT NULL,
  CONSTRAINT bridge_show_genre_pkey PRIMARY KEY (show_id, position)
);

CREATE TABLE IF NOT EXISTS trendlake.fact_show_daily (
  data_type varchar(32) NOT NULL,
  show_id bigint NOT NULL,
  date_key integer NOT NULL,
  popularity double precision NOT NULL,
  vote_average double precision NOT NULL,
  vote_count bigint NOT NULL,
  genre_count integer NOT NULL,
  ingestion_date date NOT NULL,
  CONSTRAINT fact_show_daily_pkey PRIMARY KEY (data_type, show_id, date_key)
);

CREATE TABLE IF NOT EXISTS trendlake.load_run (
  run_id varchar(64) NOT NULL,
  loaded_at timestamp NOT NULL,
  fact_rows bigint NOT NULL,
  CONSTRAINT load_run_pkey PRIMARY KEY (run_id)
);

DELETE FROM trendlake.load_run WHERE run_id = ?;

DROP TABLE IF EXISTS trendlake.stg_fact_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.stg_batch_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.stg_bridge_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.stg_genre_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.src_show_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.src_bridge_82f3e9c695dc;

CREATE UNLOGGED TABLE trendlake.stg_fact_82f3e9c695dc (batch_id varchar(64), data_type varchar(32), show_id bigint, date_key integer, popularity double precision, vote_average double precision, vote_count bigint, genre_count integer, ingestion_date date, title text, original_title text, original_language text, first_air_date date, poster_path text, backdrop_path text, overview text, origin_country text);

CREATE UNLOGGED TABLE trendlake.stg_batch_82f3e9c695dc (batch_id varchar(64), data_type varchar(32), date_key integer, rows bigint, PRIMARY KEY (batch_id));

CREATE UNLOGGED TABLE trendlake.stg_bridge_82f3e9c695dc (batch_id varchar(64), data_type varchar(32), show_id bigint, date_key integer, genre_id bigint, position integer);

CREATE UNLOGGED TABLE trendlake.stg_genre_82f3e9c695dc (genre_id bigint, name text);

CREATE UNLOGGED TABLE trendlake.src_show_82f3e9c695dc (show_id bigint, title text, original_title text, original_language text, first_air_date date, poster_path text, backdrop_path text, overview text, origin_country text, last_date_key integer);

CREATE UNLOGGED TABLE trendlake.src_bridge_82f3e9c695dc (show_id bigint, genre_id bigint, position integer);

SELECT batch_id FROM trendlake.stg_batch_82f3e9c695dc WHERE batch_id IN (?, ?, ?);

DELETE FROM trendlake.stg_fact_82f3e9c695dc WHERE batch_id IN (?, ?, ?);

DELETE FROM trendlake.stg_bridge_82f3e9c695dc WHERE batch_id IN (?, ?, ?);

DELETE FROM trendlake.stg_batch_82f3e9c695dc WHERE batch_id IN (?, ?, ?);

INSERT INTO trendlake.stg_batch_82f3e9c695dc (batch_id, data_type, date_key, rows) VALUES (?, ?, ?, ?);

COPY trendlake.stg_fact_82f3e9c695dc (batch_id, data_type, show_id, date_key, popularity, vote_average, vote_count, genre_count, ingestion_date, title, original_title, original_language, first_air_date, poster_path, backdrop_path, overview, origin_country) FROM STDIN;

INSERT INTO trendlake.stg_fact_82f3e9c695dc (batch_id, data_type, show_id, date_key, popularity, vote_average, vote_count, genre_count, ingestion_date, title, original_title, original_language, first_air_date, poster_path, backdrop_path, overview, origin_country) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

COPY trendlake.stg_bridge_82f3e9c695dc (batch_id, data_type, show_id, date_key, genre_id, position) FROM STDIN;

INSERT INTO trendlake.stg_bridge_82f3e9c695dc (batch_id, data_type, show_id, date_key, genre_id, position) VALUES (?, ?, ?, ?, ?, ?);

SELECT fact_rows FROM trendlake.load_run WHERE run_id = ?;

SELECT COUNT(*) FROM trendlake.stg_fact_82f3e9c695dc;

DELETE FROM trendlake.stg_genre_82f3e9c695dc;

DELETE FROM trendlake.src_show_82f3e9c695dc;

DELETE FROM trendlake.src_bridge_82f3e9c695dc;

INSERT INTO trendlake.stg_genre_82f3e9c695dc (genre_id, name) VALUES (?, ?);

INSERT INTO trendlake.stg_genre_82f3e9c695dc (genre_id, name)
SELECT genre_id, 'Unknown' FROM (SELECT DISTINCT genre_id FROM trendlake.stg_bridge_82f3e9c695dc) f WHERE NOT EXISTS (SELECT 1 FROM trendlake.stg_genre_82f3e9c695dc c WHERE c.genre_id = f.genre_id) AND NOT EXISTS (SELECT 1 FROM trendlake.dim_genre d WHERE d.genre_id = f.genre_id);

INSERT INTO trendlake.src_show_82f3e9c695dc (show_id, title, original_title, original_language, first_air_date, poster_path, backdrop_path, overview, origin_country, last_date_key)
SELECT show_id, title, original_title, original_language, first_air_date, poster_path, backdrop_path, overview, origin_country, date_key FROM trendlake.stg_fact_82f3e9c695dc WHERE ctid = ANY (ARRAY(SELECT DISTINCT ON (show_id) ctid FROM trendlake.stg_fact_82f3e9c695dc ORDER BY show_id, date_key DESC, data_type COLLATE "C"));

INSERT INTO trendlake.src_bridge_82f3e9c695dc (show_id, genre_id, position)
SELECT b.show_id, b.genre_id, b.position FROM trendlake.stg_bridge_82f3e9c695dc b JOIN (SELECT show_id, date_key, data_type, ROW_NUMBER() OVER (PARTITION BY show_id ORDER BY date_key DESC, data_type COLLATE "C") AS rn FROM trendlake.stg_fact_82f3e9c695dc) w ON w.show_id = b.show_id AND w.date_key = b.date_key AND w.data_type = b.data_type WHERE w.rn = 1;

SELECT DISTINCT date_key FROM trendlake.stg_batch_82f3e9c695dc;

LOCK TABLE trendlake.dim_genre, trendlake.dim_show, trendlake.bridge_show_genre, trendlake.fact_show_daily IN SHARE ROW EXCLUSIVE MODE;

SELECT 1 FROM trendlake.dim_genre LIMIT 1;

SELECT 1 FROM trendlake.dim_show LIMIT 1;

SELECT 1 FROM trendlake.bridge_show_genre LIMIT 1;

SELECT 1 FROM trendlake.fact_show_daily LIMIT 1;

ALTER TABLE trendlake.bridge_show_genre DROP CONSTRAINT IF EXISTS fk_bridge_show;

ALTER TABLE trendlake.bridge_show_genre DROP CONSTRAINT IF EXISTS fk_bridge_genre;

ALTER TABLE trendlake.fact_show_daily DROP CONSTRAINT IF EXISTS fk_show_daily_show;

ALTER TABLE trendlake.dim_genre DROP CONSTRAINT IF EXISTS dim_genre_pkey;

ALTER TABLE trendlake.dim_show DROP CONSTRAINT IF EXISTS dim_show_pkey;

ALTER TABLE trendlake.bridge_show_genre DROP CONSTRAINT IF EXISTS bridge_show_genre_pkey;

ALTER TABLE trendlake.fact_show_daily DROP CONSTRAINT IF EXISTS fact_show_daily_pkey;

TRUNCATE trendlake.dim_genre, trendlake.dim_show, trendlake.bridge_show_genre, trendlake.fact_show_daily;

DELETE FROM trendlake.fact_show_daily WHERE EXISTS (SELECT 1 FROM trendlake.stg_fact_82f3e9c695dc s WHERE s.data_type = fact_show_daily.data_type AND s.date_key = fact_show_daily.date_key) AND NOT EXISTS (SELECT 1 FROM trendlake.stg_fact_82f3e9c695dc s WHERE s.data_type = fact_show_daily.data_type AND s.date_key = fact_show_daily.date_key AND s.show_id = fact_show_daily.show_id);

DELETE FROM trendlake.fact_show_daily WHERE data_type = ? AND date_key = ?;

DELETE FROM trendlake.bridge_show_genre WHERE EXISTS (SELECT 1 FROM trendlake.src_show_82f3e9c695dc s JOIN trendlake.dim_show d ON d.show_id = s.show_id WHERE s.show_id = bridge_show_genre.show_id AND s.last_date_key >= d.last_date_key) AND NOT EXISTS (SELECT 1 FROM trendlake.src_bridge_82f3e9c695dc x WHERE x.show_id = bridge_show_genre.show_id AND x.genre_id = bridge_show_genre.genre_id AND x.position = bridge_show_genre.position);

DELETE FROM trendlake.src_bridge_82f3e9c695dc WHERE EXISTS (SELECT 1 FROM trendlake.src_show_82f3e9c695dc s JOIN trendlake.dim_show d ON d.show_id = s.show_id WHERE s.show_id = trendlake.src_bridge_82f3e9c695dc.show_id AND s.last_date_key < d.last_date_key);

INSERT INTO trendlake.dim_genre (genre_id, name) SELECT genre_id, name FROM trendlake.stg_genre_82f3e9c695dc;

INSERT INTO trendlake.dim_show (show_id, title, original_title, original_language, first_air_date, poster_path, backdrop_path, overview, origin_country, last_date_key) SELECT show_id, title, original_title, original_language, first_air_date, poster_path, backdrop_path, overview, origin_country, last_date_key FROM trendlake.src_show_82f3e9c695dc;

INSERT INTO trendlake.bridge_show_genre (show_id, genre_id, position) SELECT show_id, genre_id, position FROM trendlake.src_bridge_82f3e9c695dc;

INSERT INTO trendlake.fact_show_daily (data_type, show_id, date_key, popularity, vote_average, vote_count, genre_count, ingestion_date) SELECT data_type, show_id, date_key, popularity, vote_average, vote_count, genre_count, ingestion_date FROM trendlake.stg_fact_82f3e9c695dc;

MERGE INTO trendlake.dim_genre USING trendlake.stg_genre_82f3e9c695dc AS src ON dim_genre.genre_id = src.genre_id
WHEN MATCHED AND (dim_genre.name IS DISTINCT FROM (src.name)) THEN UPDATE SET name = src.name
WHEN NOT MATCHED THEN INSERT (genre_id, name) VALUES (src.genre_id, src.name);

MERGE INTO trendlake.dim_show USING trendlake.src_show_82f3e9c695dc AS src ON dim_show.show_id = src.show_id
WHEN MATCHED AND (dim_show.title IS DISTINCT FROM (CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.title ELSE dim_show.title END) OR dim_show.original_title IS DISTINCT FROM (CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.original_title ELSE dim_show.original_title END) OR dim_show.original_language IS DISTINCT FROM (CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.original_language ELSE dim_show.original_language END) OR dim_show.first_air_date IS DISTINCT FROM (CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.first_air_date ELSE dim_show.first_air_date END) OR dim_show.poster_path IS DISTINCT FROM (CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.poster_path ELSE dim_show.poster_path END) OR dim_show.backdrop_path IS DISTINCT FROM (CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.backdrop_path ELSE dim_show.backdrop_path END) OR dim_show.overview IS DISTINCT FROM (CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.overview ELSE dim_show.overview END) OR dim_show.origin_country IS DISTINCT FROM (CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.origin_country ELSE dim_show.origin_country END) OR dim_show.last_date_key IS DISTINCT FROM (CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.last_date_key ELSE dim_show.last_date_key END)) THEN UPDATE SET title = CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.title ELSE dim_show.title END, original_title = CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.original_title ELSE dim_show.original_title END, original_language = CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.original_language ELSE dim_show.original_language END, first_air_date = CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.first_air_date ELSE dim_show.first_air_date END, poster_path = CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.poster_path ELSE dim_show.poster_path END, backdrop_path = CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.backdrop_path ELSE dim_show.backdrop_path END, overview = CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.overview ELSE dim_show.overview END, origin_country = CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.origin_country ELSE dim_show.origin_country END, last_date_key = CASE WHEN src.last_date_key >= dim_show.last_date_key THEN src.last_date_key ELSE dim_show.last_date_key END
WHEN NOT MATCHED THEN INSERT (show_id, title, original_title, original_language, first_air_date, poster_path, backdrop_path, overview, origin_country, last_date_key) VALUES (src.show_id, src.title, src.original_title, src.original_language, src.first_air_date, src.poster_path, src.backdrop_path, src.overview, src.origin_country, src.last_date_key);

MERGE INTO trendlake.bridge_show_genre USING trendlake.src_bridge_82f3e9c695dc AS src ON bridge_show_genre.show_id = src.show_id AND bridge_show_genre.position = src.position
WHEN MATCHED AND (bridge_show_genre.genre_id IS DISTINCT FROM (src.genre_id)) THEN UPDATE SET genre_id = src.genre_id
WHEN NOT MATCHED THEN INSERT (show_id, genre_id, position) VALUES (src.show_id, src.genre_id, src.position);

MERGE INTO trendlake.fact_show_daily USING trendlake.stg_fact_82f3e9c695dc AS src ON fact_show_daily.data_type = src.data_type AND fact_show_daily.show_id = src.show_id AND fact_show_daily.date_key = src.date_key
WHEN MATCHED AND (fact_show_daily.popularity IS DISTINCT FROM (src.popularity) OR fact_show_daily.vote_average IS DISTINCT FROM (src.vote_average) OR fact_show_daily.vote_count IS DISTINCT FROM (src.vote_count) OR fact_show_daily.genre_count IS DISTINCT FROM (src.genre_count) OR fact_show_daily.ingestion_date IS DISTINCT FROM (src.ingestion_date)) THEN UPDATE SET popularity = src.popularity, vote_average = src.vote_average, vote_count = src.vote_count, genre_count = src.genre_count, ingestion_date = src.ingestion_date
WHEN NOT MATCHED THEN INSERT (data_type, show_id, date_key, popularity, vote_average, vote_count, genre_count, ingestion_date) VALUES (src.data_type, src.show_id, src.date_key, src.popularity, src.vote_average, src.vote_count, src.genre_count, src.ingestion_date);

ALTER TABLE trendlake.dim_genre ADD CONSTRAINT dim_genre_pkey PRIMARY KEY (genre_id);

ALTER TABLE trendlake.dim_show ADD CONSTRAINT dim_show_pkey PRIMARY KEY (show_id);

ALTER TABLE trendlake.bridge_show_genre ADD CONSTRAINT bridge_show_genre_pkey PRIMARY KEY (show_id, position);

ALTER TABLE trendlake.fact_show_daily ADD CONSTRAINT fact_show_daily_pkey PRIMARY KEY (data_type, show_id, date_key);

ALTER TABLE trendlake.bridge_show_genre ADD CONSTRAINT fk_bridge_show FOREIGN KEY (show_id) REFERENCES trendlake.dim_show (show_id);

ALTER TABLE trendlake.bridge_show_genre ADD CONSTRAINT fk_bridge_genre FOREIGN KEY (genre_id) REFERENCES trendlake.dim_genre (genre_id);

ALTER TABLE trendlake.fact_show_daily ADD CONSTRAINT fk_show_daily_show FOREIGN KEY (show_id) REFERENCES trendlake.dim_show (show_id);

SELECT constraint_name FROM information_schema.table_constraints WHERE table_schema = ? AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY');

ALTER TABLE trendlake.bridge_show_genre ADD CONSTRAINT fk_bridge_show FOREIGN KEY (show_id) REFERENCES trendlake.dim_show (show_id);

ALTER TABLE trendlake.bridge_show_genre ADD CONSTRAINT fk_bridge_genre FOREIGN KEY (genre_id) REFERENCES trendlake.dim_genre (genre_id);

INSERT INTO trendlake.dim_genre (genre_id, name) SELECT DISTINCT f.genre_id, 'Unknown' FROM trendlake.bridge_show_genre f WHERE NOT EXISTS (SELECT 1 FROM trendlake.dim_genre d WHERE d.genre_id = f.genre_id);

ALTER TABLE trendlake.fact_show_daily ADD CONSTRAINT fk_show_daily_show FOREIGN KEY (show_id) REFERENCES trendlake.dim_show (show_id);

INSERT INTO trendlake.load_run (run_id, loaded_at, fact_rows) VALUES (?, ?, ?);

DROP TABLE IF EXISTS trendlake.stg_fact_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.stg_batch_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.stg_bridge_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.stg_genre_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.src_show_82f3e9c695dc;

DROP TABLE IF EXISTS trendlake.src_bridge_82f3e9c695dc;
