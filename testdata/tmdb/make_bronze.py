#!/usr/bin/env python3
"""Remakes testdata/tmdb/bronze: TMDB list responses and genre lists with every bad-record kind of
the contract. Good shows are real ones, from a real /trending/tv/day response (the sample path is
the first argument; its records are copied as TMDB sent them)."""
import copy
import json
import os
import shutil
import sys

here = os.path.dirname(os.path.abspath(__file__))
sample = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../../shared/samples/tmdb/trending_tv.json")
real = json.load(open(sample))["results"]
by_id = {r["id"]: r for r in real}
root = os.path.join(here, "bronze")
shutil.rmtree(root, ignore_errors=True)


def write(rel, text):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def page(results, page_no=1, meta=None):
    doc = {"page": page_no, "results": results, "total_pages": 500, "total_results": 10000}
    if meta is not None:
        doc = {"results": results, "_metadata": meta}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def show(i, **change):
    r = copy.deepcopy(by_id[i])
    for k, v in change.items():
        if v is DROP:
            r.pop(k, None)
        else:
            r[k] = v
    return r


DROP = object()

# Genres: TMDB's /genre/tv/list without 10768 (War & Politics), so a show of that genre gets a null
# genre name; one item without an id; a second file repeating Drama (a duplicate of its file);
# a file cut off (malformed, counted once).
genres = [
    (10759, "Action & Adventure"), (16, "Animation"), (35, "Comedy"), (80, "Crime"),
    (99, "Documentary"), (18, "Drama"), (10751, "Family"), (10762, "Kids"), (9648, "Mystery"),
    (10763, "News"), (10764, "Reality"), (10765, "Sci-Fi & Fantasy"), (10766, "Soap"),
    (10767, "Talk"), (37, "Western"),
]
items = [{"id": i, "name": n} for i, n in genres] + [{"id": "abc", "name": "Broken"}]
write("raw_tmdb/genres/tv_genre_list.json", json.dumps({"genres": items}, indent=2) + "\n")
write("raw_tmdb/genres/tv_genre_list_2025.json",
      json.dumps({"genres": [{"id": 18, "name": "Drama (again)"}]}, indent=2) + "\n")
write("raw_tmdb/genres/truncated.json", '{"genres": [{"id": 18, "name": "Dra')

# trending, 2025-05-26, page 1: a bare response, real shows and one of each broken rule
trending1 = [
    show(100088),
    show(83867),
    show(87917),                                  # genre 10768 unknown: null entry, counted
    show(200875),                                 # first_air_date "" (real): null
    show(1399),
    show(241554, id=-5),                          # invalid_show_id
    show(86831, name=DROP),                       # missing_name
    show(69478, popularity="12.5"),               # invalid_popularity (a string)
    show(247718, vote_average=11),                # invalid_vote_average
    show(106388, vote_count=-1),                  # invalid_vote_count
    show(37854, first_air_date="1999-02-30"),     # invalid_first_air_date
    show(247767, genre_ids=["35"]),               # invalid_genre_ids
    show(247619, origin_country=["USA"]),         # invalid_origin_country
    show(252640, genre_ids=[18, 99999]),          # unknown genre 99999
]
write("raw_tmdb/shows/data_type=trending/dt=2025-05-26/page-001.json", page(trending1))

# trending, 2025-05-26, page 2, in the ingest's wrapper: The Last of Us again with more votes
# (it wins), Andor again with fewer (it loses), a new show.
meta = {"ingestion_timestamp": "2025-05-26T06:00:12.345Z", "execution_id": "test-0001",
        "data_type": "trending"}
trending2 = [show(100088, vote_count=5999), show(83867, vote_count=1400), show(194583)]
write("raw_tmdb/shows/data_type=trending/dt=2025-05-26/page-002.json", page(trending2, meta=meta))

# popular, 2025-05-26: wrapped; popular, 2025-05-27: a TMDB error body, not a list response
meta_p = dict(meta, data_type="popular", ingestion_timestamp="2025-05-26T06:01:00Z")
write("raw_tmdb/shows/data_type=popular/dt=2025-05-26/page-001.json",
      page([show(1399), show(37854), show(239770), show(255779)], meta=meta_p))
write("raw_tmdb/shows/data_type=popular/dt=2025-05-27/page-001.json",
      json.dumps({"status_code": 7, "status_message": "Invalid API key: You must be granted a valid key.",
                  "success": False}) + "\n")
# a file whose _metadata says it is another list than its folder: every record invalid_path
write("raw_tmdb/shows/data_type=popular/dt=2025-05-26/misfiled.json",
      page([show(224819), show(270848)], meta=dict(meta, data_type="airing_today")))

# airing_today, 2025-05-27: one good page, one cut off mid-record (malformed, counted once)
write("raw_tmdb/shows/data_type=airing_today/dt=2025-05-27/page-001.json",
      page([show(224819), show(270848), show(252640)]))
full = page([show(243954), show(247767)])
write("raw_tmdb/shows/data_type=airing_today/dt=2025-05-27/page-002.json", full[: len(full) // 2])

# a list trendlake does not know: every record invalid_path
write("raw_tmdb/shows/data_type=weekly/dt=2025-05-26/page-001.json", page([show(243954)]))
print("wrote", root)
