#!/usr/bin/env python3
"""Writes testdata/bronze: small hand-made fixtures, one for every messy case real trending files have.

The fixtures are checked in (their exact bytes matter); this script documents how each was made
and remakes them: python3 testdata/make_bronze.py. Every case is commented where it is written.
"""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'bronze')

KAGGLE = ('video_id,trending_date,title,channel_title,category_id,publish_time,tags,views,likes,dislikes,'
          'comment_count,thumbnail_link,comments_disabled,ratings_disabled,video_error_or_removed,description')


def write(rel, data):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def thumb(v):
    return f'https://i.ytimg.com/vi/{v}/default.jpg'


def us_file():
    rows = [
        # 1 good; description uses the literal two characters \n (Kaggle style)
        b"2kyS6SvSYSE,17.14.11,WE WANT TO TALK ABOUT OUR MARRIAGE,CaseyNeistat,22,2017-11-13T17:13:01.000Z,"
        b"SHANtell martin,748374,57527,2966,15954," + thumb('2kyS6SvSYSE').encode() +
        b",False,False,False,SHANTELL'S CHANNEL - https://www.youtube.com/shantellmartin\\nCANDICE - https://www.lovebilly.com",
        # 2 good; early Kaggle tags "a"|"b"|"c" (a quoted field followed by more characters);
        #   quoted description with CRLF and a lone CR inside
        b"1ZAPwfrtAFY,17.14.11,\"The Trump Presidency: Last Week Tonight with John Oliver (HBO)\",LastWeekTonight,24,"
        b"2017-11-13T07:30:00.000Z,\"last week tonight trump presidency\"|\"last week tonight donald trump\"|\"john oliver\","
        b"2418783,97185,6146,12703," + thumb('1ZAPwfrtAFY').encode() +
        b",False,False,False,\"One year after the presidential election, John Oliver discusses what we've learned.\r\n"
        b"Connect with Last Week Tonight online...\rFollow us on Twitter\"",
        # 3 good; later tags form "a|""b""", booleans TRUE/false/FALSE, non-Latin text and an emoji
        "5qpjK5DgCt4,17.14.11,\"Racist Superman | Rudy Mancuso, King Bach & Lele Pons\",Rudy Mancuso,23,"
        "2017-11-12T19:05:24.000Z,\"racist superman|\"\"rudy\"\"|\"\"mancuso\"\"|\"\"キング\"\"\",3191434,146033,5339,8181,"
        + thumb('5qpjK5DgCt4') +
        ",TRUE,false,FALSE,\"WATCH MY PREVIOUS VIDEO ▶ \\n\\nSUBSCRIBE ► 🎬 Привет\"".encode('utf-8') if False else
        ("5qpjK5DgCt4,17.14.11,\"Racist Superman | Rudy Mancuso, King Bach & Lele Pons\",Rudy Mancuso,23,"
         "2017-11-12T19:05:24.000Z,\"racist superman|\"\"rudy\"\"|\"\"mancuso\"\"|\"\"キング\"\"\",3191434,146033,5339,8181,"
         + thumb('5qpjK5DgCt4') +
         ",TRUE,false,FALSE,\"WATCH MY PREVIOUS VIDEO ▶ \\n\\nSUBSCRIBE ► 🎬 Привет\"").encode('utf-8'),
        # 4 good; tags [none], booleans True/False
        b"puqaWrEC7tY,17.14.11,\"Nickelback Lyrics: Real or Fake?\",Good Mythical Morning,24,2017-11-13T11:00:04.000Z,"
        b"[none],343168,10172,666,2146," + thumb('puqaWrEC7tY').encode() +
        b",True,False,False,Today we find out if Link is a Nickelback amateur or a secret Nickelback devotee.",
        # 5 spreadsheet damage: video_id #NAME? -> invalid_video_id
        b"#NAME?,17.14.11,Broken id,Some Channel,24,2017-11-13T11:00:04.000Z,a|b,100,1,0,0,,False,False,False,x",
        # 6 wrong number of fields (15) -> malformed_csv
        b"xYzAbC12345,17.14.11,Too short,Some Channel,24,2017-11-13T11:00:04.000Z,a|b,100,1,0,0,False,False,False,x",
        # 7 invalid UTF-8 bytes in the title: decoded with U+FFFD, counted, record kept
        b"d380meD0W0M,17.14.11,\"I Dare You: GOING BALD!? \xff\xfe\",nigahiga,24,2017-11-12T18:01:41.000Z,"
        b"\"ryan\"|\"higa\",2095731,132235,1989,17518," + thumb('d380meD0W0M').encode() +
        b",False,False,False,I know it's been a while",
        # 8 duplicate of row 1 (same region, video, date) with fewer views -> counted as a duplicate
        b"2kyS6SvSYSE,17.14.11,WE WANT TO TALK ABOUT OUR MARRIAGE,CaseyNeistat,22,2017-11-13T17:13:01.000Z,"
        b"SHANtell martin,748000,57000,2900,15000," + thumb('2kyS6SvSYSE').encode() +
        b",False,False,False,an older snapshot",
        # 9 the same video on the next day: a new row, not a duplicate
        b"2kyS6SvSYSE,17.15.11,WE WANT TO TALK ABOUT OUR MARRIAGE,CaseyNeistat,22,2017-11-13T17:13:01.000Z,"
        b"SHANtell martin,1000000,60000,3000,16000," + thumb('2kyS6SvSYSE').encode() +
        b",False,False,False,day two",
        # 10 day 32 -> invalid_trending_date
        b"AbCdEfGhIj1,17.32.11,Bad date,Some Channel,24,2017-11-13T11:00:04.000Z,a,100,1,0,0,,False,False,False,x",
        # 11 November 31st -> invalid_publish_time
        b"AbCdEfGhIj2,17.14.11,Bad publish,Some Channel,24,2017-11-31T10:00:00.000Z,a,100,1,0,0,,False,False,False,x",
        # 12 category abc -> invalid_category_id
        b"AbCdEfGhIj3,17.14.11,Bad category,Some Channel,abc,2017-11-13T11:00:04.000Z,a,100,1,0,0,,False,False,False,x",
        # 13 negative views -> invalid_count
        b"AbCdEfGhIj4,17.14.11,Bad count,Some Channel,24,2017-11-13T11:00:04.000Z,a,-5,1,0,0,,False,False,False,x",
        # 14 yes is no boolean -> invalid_boolean
        b"AbCdEfGhIj5,17.14.11,Bad boolean,Some Channel,24,2017-11-13T11:00:04.000Z,a,100,1,0,0,,yes,False,False,x",
        # 15 exact copy of row 4 -> duplicate (identical raw text)
        b"puqaWrEC7tY,17.14.11,\"Nickelback Lyrics: Real or Fake?\",Good Mythical Morning,24,2017-11-13T11:00:04.000Z,"
        b"[none],343168,10172,666,2146," + thumb('puqaWrEC7tY').encode() +
        b",True,False,False,Today we find out if Link is a Nickelback amateur or a secret Nickelback devotee.",
        # 16 two rules broken: the first in contract order (video_id) is the reason
        b"short,17.99.11,Two problems,Some Channel,24,2017-11-13T11:00:04.000Z,a,100,1,0,0,,False,False,False,x",
        # 17 category 99 is unknown for US: kept in gold with a null category_title
        b"UnKnOwNcAt1,17.14.11,Unknown category,Some Channel,99,2017-11-13T11:00:04Z,a,100,1,0,0,,False,False,False,x",
        # 18+19 a tie on views, likes and comments: the first line ("...,B") wins, whatever its text
        b"TiEbReAk001,17.14.11,Tie,Some Channel,24,2017-11-13T11:00:04.000Z,a,500,5,0,5,,False,False,False,B",
        b"TiEbReAk001,17.14.11,Tie,Some Channel,24,2017-11-13T11:00:04.000Z,a,500,5,0,5,,False,False,False,A",
    ]
    return (KAGGLE.encode() + b'\r\n' + b'\r\n'.join(rows) + b'\r\n')


def ca_file():
    # UTF-8 BOM, LF line ends, no final newline, and a real Kaggle file's shape without
    # thumbnail_link, description and video_error_or_removed (all three optional)
    header = ('video_id,trending_date,title,channel_title,category_id,publish_time,tags,views,likes,dislikes,'
              'comment_count,comments_disabled,ratings_disabled')
    rows = [
        # category 29 is used in CA statistics but missing from CA's JSON: unknown_category
        'n1WpP7iowLc,17.14.11,Eminem - Walk On Water (Audio) ft. Beyoncé,EminemVEVO,29,2017-11-10T17:00:03.000Z,'
        '"Eminem"|"Walk"|"On"|"Water",17158579,787420,43420,125882,False,False',
        '0dBIkQ4Mz1M,17.14.11,PLUSH - Bad Unboxing Fan Mail,iDubbbzTV,23,2017-11-13T17:00:00.000Z,'
        'plush|bad unboxing,1014651,127794,1688,13030,False,False',
        # booleans in any case
        '5qpjK5DgCt4,17.14.11,Racist Superman,Rudy Mancuso,23,2017-11-12T19:05:24.000Z,[None],3191434,146033,5339,8181,'
        'FALSE,TRUE',
    ]
    return b'\xef\xbb\xbf' + (header + '\n' + '\n'.join(rows)).encode('utf-8')


API = ('"video_id","title","publishedAt","channelId","channelTitle","categoryId","trending_date","tags",'
       '"view_count","likes","dislikes","comment_count","thumbnail_link","comments_disabled","ratings_disabled",'
       '"description"')


def q(*values):
    return ','.join('"' + v.replace('"', '""') + '"' for v in values)


def gb_file():
    rows = [
        # every value double-quoted; ISO-8601 trending_date
        q('3C66w5Z0ixs', 'I ASKED HER TO BE MY GIRLFRIEND...', '2020-08-11T19:20:14Z', 'UCvtRTOMP2TqYqu51xNrqAzg',
          'Brawadis', '22', '2020-08-12T00:00:00Z', 'brawadis|prank|basketball', '1514614', '156908', '5855',
          '35313', 'https://i.ytimg.com/vi/3C66w5Z0ixs/default.jpg', 'False', 'False',
          'SUBSCRIBE to BRAWADIS ▶ http://bit.ly/SubscribeToBrawadis\r\n\r\nFOLLOW ME ON SOCIAL'),
        # hidden likes and no dislikes (the API no longer returns them): empty means null
        q('M9Pmf9AB4Mo', 'Apex Legends | Stories from the Outlands', '2020-08-11T17:00:10Z',
          'UC0ZV6M2THA81QT9hrVWJG3A', 'Apex Legends', '20', '2020-08-12T00:00:00Z', 'Apex Legends|Apex|EA',
          '2381688', '', '', '16549', 'https://i.ytimg.com/vi/M9Pmf9AB4Mo/default.jpg', 'False', 'True',
          'While running her own modding shop'),
        # a timestamp with an offset: 23:30 at -02:00 is 01:30 UTC the next day, so trending_date 2020-08-13
        q('J78aPJ3VyNs', 'I left youtube for a month and THIS is what happened.', '2020-08-11T16:34:06+02:00',
          'UCYzPXprvl5Y-Sf0g4vX-m6g', 'jacksepticeye', '24', '2020-08-12T23:30:00-02:00', '[None]', '2038853',
          '353787', '2628', '40221', 'https://i.ytimg.com/vi/J78aPJ3VyNs/default.jpg', 'false', 'false',
          'I left youtube for a month'),
        # likes "12,345" is no integer -> invalid_count
        q('kgUV1MaD_M8', 'Bad likes', '2020-08-11T16:34:06Z', 'UCabcdefghijklmnopqrstuv', 'Channel', '24',
          '2020-08-12T00:00:00Z', 'a', '100', '12,345', '1', '1', '', 'False', 'False', ''),
    ]
    # the last record is cut off inside a quoted field (a partial upload) -> malformed_csv
    cut = '"VIRTUAL1234","Cut off","2020-08-11T16:34:06Z","UCx","Chan","24","2020-08-12T00:00:00Z","a","1","1","1","1","","False","False","this description never ends'
    return (API + '\r\n' + '\r\n'.join(rows) + '\r\n' + cut).encode('utf-8')


def categories(ids, crlf=False, bom=False, extra_items=()):
    titles = {1: 'Film & Animation', 2: 'Autos & Vehicles', 10: 'Music', 15: 'Pets & Animals', 17: 'Sports',
              20: 'Gaming', 22: 'People & Blogs', 23: 'Comedy', 24: 'Entertainment', 25: 'News & Politics',
              29: 'Nonprofits & Activism', 43: 'Shows'}
    items = [{'kind': 'youtube#videoCategory', 'etag': f'"m2yskBQFythfE4irbTIeOgYYfBU/{i}"', 'id': str(i),
              'snippet': {'channelId': 'UCBR8-60-B28hp2BmDPdntcQ', 'title': titles[i], 'assignable': i < 30}}
             for i in ids]
    items.extend(extra_items)
    doc = {'kind': 'youtube#videoCategoryListResponse', 'etag': '"m2yskBQFythfE4irbTIeOgYYfBU/S730Ilt-Fi-emsQJvJAAShlR1C4"',
           'items': items}
    text = json.dumps(doc, indent=1, ensure_ascii=False)
    if crlf:
        text = text.replace('\n', '\r\n')
    return (b'\xef\xbb\xbf' if bom else b'') + text.encode('utf-8')


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    write('raw_statistics/region=us/ts=201711140000/USvideos.csv', us_file())
    write('raw_statistics/region=CA/ts=201711140000/CAvideos.csv', ca_file())
    write('raw_statistics/region=gb/ts=202008120000/GB_youtube_trending_data.csv', gb_file())
    # a header no layout knows: every record -> unknown_layout
    write('raw_statistics/region=fr/ts=201711140000/FR_export.csv', b'id,name,score\n1,a,3\n2,b,4\n')
    # no region=<xx> folder: the rows cannot be placed -> missing_region
    write('raw_statistics/misc/no_region.csv',
          (KAGGLE + '\nZZZZZZZZZZZ,17.14.11,t,c,24,2017-11-13T11:00:04.000Z,a,1,1,1,1,,False,False,False,d\n').encode())
    # an empty file and a header-only file: listed in the manifest with 0 records
    write('raw_statistics/region=us/ts=201711150000/empty.csv', b'')
    write('raw_statistics/region=us/ts=201711150000/header_only.csv', (KAGGLE + '\r\n').encode())

    write('raw_statistics_reference_data/US_category_id.json', categories([1, 2, 10, 15, 17, 22, 23, 24, 29]))
    # CRLF line ends and a BOM; no id 29, as in the real CA file
    write('raw_statistics_reference_data/CA_category_id.json', categories([1, 2, 10, 22, 23, 24], crlf=True, bom=True))
    # region from the folder; one item whose id is no integer -> invalid_category
    write('raw_statistics_reference_data/region=gb/GB_category_id.json',
          categories([1, 10, 20, 22, 24, 25], extra_items=[{'kind': 'youtube#videoCategory', 'id': 'abc',
                                                            'snippet': {'title': 'Broken', 'assignable': True}}]))
    # the same (us, 10) again in another file: the first by path is kept, the other counted as a duplicate
    write('raw_statistics_reference_data/2018/US_category_id.json', categories([10, 43]))
    # a truncated download -> malformed_json
    write('raw_statistics_reference_data/IN_category_id.json', categories([1, 2])[:120])


if __name__ == '__main__':
    main()
