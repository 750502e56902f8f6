#!/usr/bin/env python3
"""Writes a bronze root with many region/date partitions, for S3 memory and listing checks.

    python3 testdata/make_partitions.py OUT_DIR [--regions us,ca,gb,in] [--days 60] [--rows 30] [--files-per-day 1]

Each (region, trending_date) becomes one gold partition: 4 regions x 60 days = 240 partitions.
--files-per-day > 1 spreads a day over several small CSV files (for listing thousands of files).
Rows are valid USvideos-layout records, deterministic, so every run gives the same output.
The category JSON files are copied from testdata/bronze.
"""
import argparse
import datetime
import os
import shutil

HEADER = ("video_id,trending_date,title,channel_title,category_id,publish_time,tags,views,likes,"
          "dislikes,comment_count,thumbnail_link,comments_disabled,ratings_disabled,"
          "video_error_or_removed,description\n")
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def video_id(n):
    s = ""
    for _ in range(11):
        s += ALPHABET[n % 64]
        n //= 64
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--regions", default="us,ca,gb,in")
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--rows", type=int, default=30)
    ap.add_argument("--files-per-day", type=int, default=1)
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.copytree(os.path.join(here, "bronze", "raw_statistics_reference_data"),
                    os.path.join(a.out, "raw_statistics_reference_data"), dirs_exist_ok=True)
    start = datetime.date(2017, 11, 14)
    files = 0
    for region in a.regions.split(","):
        for d in range(a.days):
            day = start + datetime.timedelta(days=d)
            kaggle = day.strftime("%y.%d.%m")
            folder = os.path.join(a.out, "raw_statistics", "region=" + region, "ts=" + day.strftime("%Y%m%d") + "0000")
            os.makedirs(folder, exist_ok=True)
            for f in range(a.files_per_day):
                with open(os.path.join(folder, "part%03d.csv" % f), "w", encoding="utf-8", newline="") as out:
                    out.write(HEADER)
                    for r in range(a.rows):
                        n = (f * a.rows + r) * 7919 + 1
                        out.write("%s,%s,Video %d of %s,Channel %d,%d,%sT12:00:00.000Z,tag%d|\"tag %d\",%d,%d,%d,%d,"
                                  "https://i.ytimg.com/vi/x/default.jpg,False,False,False,Line one\\nline two\n"
                                  % (video_id(n), kaggle, n, region, r % 17, (22, 24, 10, 23)[r % 4],
                                     day.isoformat(), r, r + 1, 1000 + n, 10 + r, r, 3 * r))
                files += 1
    print("wrote %d statistics files in %d partitions under %s"
          % (files, len(a.regions.split(",")) * a.days, a.out))


if __name__ == "__main__":
    main()
