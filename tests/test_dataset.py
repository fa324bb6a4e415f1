#!/usr/bin/env python3
"""Dataset checks for geodata/ (see docs/schema.md and docs/data.md).

usage: test_dataset.py GEODATA_DIR TESTDATA_DIR [--only schema|coverage|forbidden|totals]

Reads every *.csv (recognised by its header) and *.geojson in GEODATA_DIR
(not basemap/), the region boxes in TESTDATA_DIR/regions-*.csv and the
allowed co-located pairs in TESTDATA_DIR/colocated.txt and the reference
book's yearly sums in TESTDATA_DIR/smirnov_year_sums.csv. Reference layers
with their own tests (places.csv, place_names.csv, borders.geojson,
gulag_totals.csv) are recognised by their header or geometry and skipped.
Prints every problem found and exits 1 if there is any, 0 otherwise; an
unknown --only part is an error (exit 2). Standard library only.
"""
import csv
import glob
import json
import math
import os
import re
import sys

SITE_KINDS = {"camp", "execution_site", "prison", "transit", "special_settlement", "station", "uprising"}
LINE_KINDS = {"railway", "canal", "road", "deportation"}
PRECISION = {"exact", "settlement", "approximate"}
ID_RE = re.compile(r"^[a-z0-9_]+$")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
INT_FIELDS = ("year_start", "year_end", "prisoners_peak", "prisoners_peak_year",
              "victims_min", "victims_max", "deported_min", "deported_max")
RANGES = (("victims_min", "victims_max"), ("deported_min", "deported_max"))
MAX_SEGMENT_KM = 150.0
# sanity bounds: a figure above these is almost certainly inflated or a typo
MAX_CAMP_PRISONERS = 200000
# documented exceptions to the camp bound, each with its own hard cap:
# Bamlag held 200,907 prisoners on 1 January 1938 (smirnov1998), the largest camp count
CAMP_BOUND_EXCEPTIONS = {"bamlag": 201000}
MAX_EXEC_VICTIMS = 250000
MAX_DEPORTED = 1000000
# blame phrasing directed at ethnic or religious groups (lower-case substrings)
FORBIDDEN_PHRASES = ("jewish bolshevi", "judeo", "judaeo", "jewish commissar", "jewish nkvd",
                     "zionist occupation", "genocide of the russian people by")
FORBIDDEN_NAMES = ("khatyn", "хатынь", "chatyń", "chatyn")
# hosts of blogs, social networks and document-sharing mirrors: never a source
# (a host matches itself and its subdomains)
FORBIDDEN_HOSTS = ("livejournal.com", "livejournal.ru", "lj.rossia.org", "liveinternet.ru", "blogspot.com",
                   "blogger.com", "wordpress.com", "medium.com", "substack.com", "tumblr.com", "pinterest.com",
                   "pinterest.co.uk", "pinterest.ru", "pin.it", "scribd.com", "issuu.com", "academia.edu",
                   "docplayer.net", "docplayer.ru", "studylib.net", "studylib.ru", "studfile.net", "vdocuments.net",
                   "vdocuments.mx", "dokumen.pub", "dokumen.tips", "pdfcoffee.com", "pdfslide.net", "twirpx.com",
                   "yumpu.com", "slideshare.net", "vk.com", "vk.ru", "ok.ru", "facebook.com", "fb.com",
                   "instagram.com", "twitter.com", "x.com", "t.me", "telegram.org", "telegra.ph", "dzen.ru",
                   "zen.yandex.ru", "reddit.com", "teletype.in", "pikabu.ru")
BLOGSPOT_RE = re.compile(r"(^|\.)blogspot\.[a-z.]+$")
LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
AS_OF_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
TOTALS_FIRST, TOTALS_LAST, TOTALS_TOLERANCE = 1930, 1959, 0.03
KNOWN_PARTS = ("schema", "coverage", "forbidden", "totals")
# country -> language of name_local required for a camp there
CAMP_LOCAL_LANG = {"KZ": "kk", "EE": "et", "LV": "lv", "LT": "lt", "BY": "be", "UA": "uk"}


class Data:
    def __init__(self):
        self.features = []   # dicts with _file, _geom ('point', (lon, lat)) or ('line', [[...]])
        self.site_years = []  # dicts with _file
        self.sources = {}     # id -> list of (file, citation, url)
        self.totals = []      # rows of gulag_totals.csv (checked in the totals part)
        self.skipped = []     # reference layers tested elsewhere
        self.problems = []

    def bad(self, where, msg):
        self.problems.append(f"{where}: {msg}")


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.DictReader(f)
        return list(r.fieldnames or []), list(r)


def load(geodata, data):
    files = sorted(glob.glob(os.path.join(geodata, "*.csv")) + glob.glob(os.path.join(geodata, "*.geojson")))
    for path in files:
        name = os.path.basename(path)
        if name in ("places.csv", "place_names.csv"):
            data.skipped.append(name)
            continue  # reference places, not sites: tests/test_places.py checks them
        if path.endswith(".csv"):
            try:
                header, rows = read_csv(path)
            except (OSError, UnicodeDecodeError, csv.Error) as e:
                data.bad(name, f"cannot read: {e}")
                continue
            hs = set(header)
            if {"year", "prisoners", "counts"} <= hs:
                # gulag_totals.csv: the published ITL totals, checked in the totals part
                for i, r in enumerate(rows, 2):
                    r["_where"] = f"{name}:{i}"
                    data.totals.append(r)
                data.skipped.append(name)
            elif "rank" in hs or "place_id" in hs:
                # places.csv (rank) and place_names.csv (place_id): reference layers with their own tests
                data.skipped.append(name)
            elif {"id", "citation"} <= hs:
                for i, r in enumerate(rows, 2):
                    data.sources.setdefault(r["id"], []).append((f"{name}:{i}", r.get("citation") or "", r.get("url") or ""))
            elif {"site_id", "year", "prisoners"} <= hs:
                for i, r in enumerate(rows, 2):
                    r["_where"] = f"{name}:{i}"
                    data.site_years.append(r)
            elif {"lon", "lat"} <= hs or "wkt" in hs:
                for i, r in enumerate(rows, 2):
                    r["_where"] = f"{name}:{i} ({r.get('id')})"
                    if {"lon", "lat"} <= hs:
                        try:
                            r["_geom"] = ("point", (float(r["lon"]), float(r["lat"])))
                        except (TypeError, ValueError):
                            data.bad(r["_where"], f"lon/lat not numbers: {r.get('lon')!r}, {r.get('lat')!r}")
                            r["_geom"] = None
                    else:
                        r["_geom"] = parse_wkt(r.get("wkt") or "")
                        if r["_geom"] is None:
                            data.bad(r["_where"], "wkt is not a POINT, LINESTRING or MULTILINESTRING")
                    data.features.append(r)
            else:
                data.bad(name, "CSV header not recognised (no lon/lat, wkt, site_id/year/prisoners or id/citation)")
        else:
            try:
                gj = json.load(open(path, encoding="utf-8"))
            except (OSError, ValueError) as e:
                data.bad(name, f"cannot parse GeoJSON: {e}")
                continue
            feats = gj.get("features", [])
            polys = [f for f in feats if ((f.get("geometry") or {}).get("type") in ("Polygon", "MultiPolygon"))]
            if feats and len(polys) == len(feats):
                # borders.geojson: polygons of states and periods, tested with the borders layer
                data.skipped.append(name)
                continue
            for i, f in enumerate(feats, 1):
                p = {k: ("" if v is None else str(v) if not isinstance(v, str) else v)
                     for k, v in (f.get("properties") or {}).items()}
                p["_where"] = f"{name}#{i} ({p.get('id')})"
                g = f.get("geometry") or {}
                t, c = g.get("type"), g.get("coordinates")
                if t == "Point":
                    p["_geom"] = ("point", tuple(c[:2]))
                elif t == "LineString":
                    p["_geom"] = ("line", [c])
                elif t == "MultiLineString":
                    p["_geom"] = ("line", c)
                else:
                    p["_geom"] = None
                    data.bad(p["_where"], f"unsupported geometry {t!r}")
                data.features.append(p)


def parse_wkt(w):
    w = w.strip()
    m = re.match(r"^POINT\s*\(\s*([-\d.eE]+)\s+([-\d.eE]+)\s*\)$", w, re.I)
    if m:
        return ("point", (float(m.group(1)), float(m.group(2))))
    def pts(s):
        return [[float(a) for a in p.split()[:2]] for p in s.split(",")]
    m = re.match(r"^LINESTRING\s*\((.*)\)$", w, re.I)
    if m:
        return ("line", [pts(m.group(1))])
    m = re.match(r"^MULTILINESTRING\s*\((.*)\)$", w, re.I)
    if m:
        return ("line", [pts(p) for p in re.findall(r"\(([^()]*)\)", m.group(1))])
    return None


def load_regions(testdata, data):
    regions = {}
    for path in sorted(glob.glob(os.path.join(testdata, "regions-*.csv"))):
        _, rows = read_csv(path)
        for i, r in enumerate(rows, 2):
            try:
                box = tuple(float(r[k]) for k in ("west", "south", "east", "north"))
            except (KeyError, TypeError, ValueError):
                data.bad(f"{os.path.basename(path)}:{i}", "bad region row")
                continue
            regions.setdefault(r["code"], []).append(box)
    return regions


def load_colocated(testdata, data):
    pairs = set()
    path = os.path.join(testdata, "colocated.txt")
    if not os.path.exists(path):
        return pairs
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^([a-z0-9_]+)\s+([a-z0-9_]+)\s+(\S.*)$", line)
        if not m:
            data.bad(f"colocated.txt:{n}", "expected 'id_a id_b reason'")
            continue
        pairs.add(frozenset((m.group(1), m.group(2))))
    return pairs


def to_int(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def km(a, b):
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def sentences(text):
    # count sentence ends; ignore initials and common abbreviations
    t = re.sub(r"\b(?:[A-Z]|St|Mr|Dr|vol|no|ed|eds|km|c|ca|e\.g|i\.e)\.", "", text)
    return len([s for s in re.split(r"[.!?]+(?:\s|$)", t) if s.strip()])


def check_schema(d, regions, colocated):
    ids = {}
    for f in d.features:
        w = f["_where"]
        fid = f.get("id", "")
        if not fid or not ID_RE.match(fid):
            d.bad(w, f"id {fid!r} missing or not [a-z0-9_]+")
        elif fid in ids:
            d.bad(w, f"id {fid!r} also used at {ids[fid]}")
        else:
            ids[fid] = w
        geom = f.get("_geom")
        kind = f.get("kind", "")
        if geom and geom[0] == "point" and kind not in SITE_KINDS:
            d.bad(w, f"kind {kind!r} is not a site kind {sorted(SITE_KINDS)}")
        if geom and geom[0] == "line" and kind not in LINE_KINDS:
            d.bad(w, f"kind {kind!r} is not a line kind {sorted(LINE_KINDS)}")
        for k in ("name_en", "name_ru", "region", "description", "sources"):
            if not (f.get(k) or "").strip():
                d.bad(w, f"required field {k} is empty")
        if f.get("name_ru") and not CYRILLIC.search(f["name_ru"]):
            d.bad(w, f"name_ru {f['name_ru']!r} has no Cyrillic")
        if f.get("location_precision") not in PRECISION:
            d.bad(w, f"location_precision {f.get('location_precision')!r} not in {sorted(PRECISION)}")
        if "significant" in f and (f.get("significant") or "").strip() not in ("0", "1"):
            d.bad(w, f"significant {f.get('significant')!r} is not 0 or 1")
        uk = (f.get("name_uk") or "").strip()
        if uk and not CYRILLIC.search(uk):
            d.bad(w, f"name_uk {uk!r} has no Cyrillic")
        pl = (f.get("name_pl") or "").strip()
        if pl and (CYRILLIC.search(pl) or not LATIN.search(pl)):
            d.bad(w, f"name_pl {pl!r} is not in Latin script")
        # camps outside Russia carry the name in the language of the place (docs/data.md)
        if kind == "camp":
            reg0 = (f.get("region") or "").split(";")[0].strip()
            want = CAMP_LOCAL_LANG.get(reg0.split("-")[0])
            if reg0.startswith("UA") and not uk:
                d.bad(w, f"camp in {reg0} without name_uk")
            if want and not ((f.get("name_local") or "").strip() and f.get("local_lang") == want):
                d.bad(w, f"camp in {reg0} needs name_local with local_lang {want}")
        if bool((f.get("name_local") or "").strip()) != bool((f.get("local_lang") or "").strip()):
            d.bad(w, "name_local and local_lang must be given together")
        for k in INT_FIELDS:
            v = (f.get(k) or "").strip()
            if v and to_int(v) is None:
                d.bad(w, f"{k} {v!r} is not an integer")
        ys, ye = to_int(f.get("year_start")), to_int(f.get("year_end"))
        if ys is None or ye is None:
            d.bad(w, "year_start and year_end are required integers")
        else:
            if ys > ye:
                d.bad(w, f"year_start {ys} > year_end {ye}")
            for y in (ys, ye):
                if not 1917 <= y <= 1991:
                    d.bad(w, f"year {y} outside 1917–1991")
        for lo, hi in RANGES:
            a, b = to_int(f.get(lo)), to_int(f.get(hi))
            if a is not None and b is not None and a > b:
                d.bad(w, f"{lo} {a} > {hi} {b}")
            for k, v in ((lo, a), (hi, b)):
                if v is not None and not (f.get(k + "_source") or "").strip():
                    d.bad(w, f"{k} has no {k}_source")
                if v is None and (f.get(k + "_source") or "").strip():
                    d.bad(w, f"{k}_source given without {k}")
        if to_int(f.get("prisoners_peak")) is not None and to_int(f.get("prisoners_peak_year")) is None:
            d.bad(w, "prisoners_peak without prisoners_peak_year")
        # source references
        refs = [s for s in (f.get("sources") or "").split(";") if s.strip()]
        refs += [f.get(k) for k in f if k.endswith("_source") and f.get(k)]
        for s in refs:
            if s.strip() not in d.sources:
                d.bad(w, f"source {s!r} is not defined in any sources file")
        # regions and coordinates
        codes = [c.strip() for c in (f.get("region") or "").split(";") if c.strip()]
        boxes = []
        for c in codes:
            if c not in regions:
                d.bad(w, f"region {c!r} is not defined in tests/data/regions-*.csv")
            boxes += regions.get(c, [])
        if geom:
            pts = [geom[1]] if geom[0] == "point" else [p for part in geom[1] for p in part]
            for p in pts:
                if not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90):
                    d.bad(w, f"coordinate {p} outside WGS84 range")
                elif boxes and not any(b[0] <= p[0] <= b[2] and b[1] <= p[1] <= b[3] for b in boxes):
                    d.bad(w, f"coordinate ({p[0]}, {p[1]}) outside the boxes of regions {codes}")
            if geom[0] == "line" and kind in LINE_KINDS - {"deportation"}:
                n = sum(len(part) for part in geom[1])
                if n < 5:
                    d.bad(w, f"line has {n} vertices, needs at least 5")
                for part in geom[1]:
                    for a, b in zip(part, part[1:]):
                        dist = km(a, b)
                        if dist > MAX_SEGMENT_KM:
                            d.bad(w, f"segment {a}->{b} is {dist:.0f} km (> {MAX_SEGMENT_KM:.0f} km)")
        # description length
        desc = f.get("description") or ""
        if desc and sentences(desc) > 3:
            d.bad(w, f"description has {sentences(desc)} sentences (at most 3)")

    # identical descriptions
    seen = {}
    for f in d.features:
        desc = (f.get("description") or "").strip()
        if desc:
            if desc in seen:
                d.bad(f["_where"], f"description identical to {seen[desc]}")
            else:
                seen[desc] = f["_where"]

    # co-located points
    at = {}
    for f in d.features:
        g = f.get("_geom")
        if g and g[0] == "point":
            at.setdefault((round(g[1][0], 4), round(g[1][1], 4)), []).append(f)
    for pt, fs in at.items():
        for i in range(len(fs)):
            for j in range(i + 1, len(fs)):
                a, b = fs[i], fs[j]
                if a.get("group_id") and a.get("group_id") == b.get("group_id"):
                    continue
                if frozenset((a.get("id"), b.get("id"))) in colocated:
                    continue
                d.bad(a["_where"], f"same point {pt} as {b.get('id')} (no shared group_id, not in colocated.txt)")

    # sources defined in several files must be identical
    for sid, defs in d.sources.items():
        if not ID_RE.match(sid or ""):
            d.bad(defs[0][0], f"source id {sid!r} not [a-z0-9_]+")
        if not defs[0][1].strip():
            d.bad(defs[0][0], f"source {sid!r} has an empty citation")
        first = defs[0]
        for other in defs[1:]:
            if (other[1], other[2]) != (first[1], first[2]):
                d.bad(other[0], f"source {sid!r} differs from its definition at {first[0]}")

    # site_years
    by_id = {f.get("id"): f for f in d.features}
    years = {}
    for r in d.site_years:
        w = r["_where"]
        sid = r.get("site_id")
        if sid not in by_id:
            d.bad(w, f"site_id {sid!r} is not a feature id")
        y, n = to_int(r.get("year")), to_int(r.get("prisoners"))
        if y is None or n is None:
            d.bad(w, "year and prisoners must be integers")
            continue
        if not 1917 <= y <= 1991:
            d.bad(w, f"year {y} outside 1917–1991")
        src = (r.get("source") or "").strip()
        if not src:
            d.bad(w, "source is empty")
        elif src not in d.sources:
            d.bad(w, f"source {src!r} is not defined")
        if "as_of" in r:
            a = (r.get("as_of") or "").strip()
            m = AS_OF_RE.match(a)
            if not m:
                d.bad(w, f"as_of {a!r} is not a date YYYY-MM-DD")
            elif int(m.group(1)) != y or not (1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31):
                d.bad(w, f"as_of {a!r} is not a date in {y}")
            elif a != f"{y}-01-01" and not (r.get("note") or "").strip():
                d.bad(w, f"as_of {a} is not 1 January but the note does not say what the count is")
        if (sid, y) in years.get(sid, {}):
            d.bad(w, f"duplicate row for {sid} {y}")
        years.setdefault(sid, {})[(sid, y)] = n
    for sid, rows in years.items():
        f = by_id.get(sid)
        if not f:
            continue
        peak, peak_year = to_int(f.get("prisoners_peak")), to_int(f.get("prisoners_peak_year"))
        if peak is None:
            continue
        top = max(rows.values())
        if peak < top:
            d.bad(f["_where"], f"prisoners_peak {peak} is below the largest yearly count {top}")
        if peak_year is not None and (sid, peak_year) in rows and rows[(sid, peak_year)] != peak:
            d.bad(f["_where"], f"prisoners_peak {peak} differs from the {peak_year} yearly row {rows[(sid, peak_year)]}")


# The documented figures the dataset issue names, for scale (2025 QA: Kurapaty
# was stored as 30,000-30,000, hiding the 7,000 lower estimate). Each entry:
# id, field, lowest and highest acceptable value.
KEY_FIGURES = (
    ("butovo", "victims_min", 20000, 21000),
    ("sandarmokh", "victims_max", 6000, 6300),
    ("kurapaty", "victims_min", 6000, 8000),
    ("kurapaty", "victims_max", 30000, 35000),
    ("katyn_forest", "victims_max", 4000, 4500),
    ("norillag", "prisoners_peak", 70000, 75000),
)


def check_figures(d):
    by_id = {f.get("id"): f for f in d.features}
    for fid, field, lo, hi in KEY_FIGURES:
        f = by_id.get(fid)
        if f is None:
            d.bad("geodata", f"{fid}: missing")
            continue
        v = to_int(f.get(field))
        if v is None or not lo <= v <= hi:
            d.bad(f["_where"], f"{fid}: {field} {v} outside the documented {lo}..{hi}")


def check_coverage(d):
    by_kind = {}
    for f in d.features:
        by_kind.setdefault(f.get("kind"), []).append(f)
    count = lambda *ks: sum(len(by_kind.get(k, [])) for k in ks)
    camp_ids = {f.get("id") for f in by_kind.get("camp", [])}
    with_years = {r.get("site_id") for r in d.site_years if r.get("site_id") in camp_ids}
    # the reference book lists about 475 camp administrations (some at several seats)
    need = (("camps (kind camp)", count("camp"), 470),
            ("camps with site_years rows", len(with_years), 400),
            ("execution sites", count("execution_site"), 40),
            ("prisons and transit points", count("prison", "transit"), 10),
            ("railways, canals and roads", count("railway", "canal", "road"), 12),
            ("deportations", count("deportation"), 8))
    for what, n, k in need:
        if n < k:
            d.bad("coverage", f"{n} {what}, need at least {k}")
    by_id = {f.get("id"): f for f in d.features}

    def expect(fid, kind, ys=None, ye=None):
        f = by_id.get(fid)
        if not f:
            d.bad("coverage", f"feature {fid!r} missing")
            return
        if f.get("kind") != kind:
            d.bad(f["_where"], f"expected kind {kind}, found {f.get('kind')}")
        if ys is not None and to_int(f.get("year_start")) != ys:
            d.bad(f["_where"], f"expected year_start {ys}, found {f.get('year_start')}")
        if ye is not None and to_int(f.get("year_end")) != ye:
            d.bad(f["_where"], f"expected year_end {ye}, found {f.get('year_end')}")

    def group(gid, kind=None, minimum=1):
        fs = [f for f in d.features if f.get("group_id") == gid and (kind is None or f.get("kind") == kind)]
        if len(fs) < minimum:
            d.bad("coverage", f"group {gid!r}: {len(fs)} features{' of kind ' + kind if kind else ''}, need {minimum}")
        return fs

    # Vorkutlag: 1938–1960 in the Smirnov reference book (Vorkutinsky ITL, from Ukhtpechlag)
    expect("vorkutlag", "camp", 1938, 1960)
    expect("vorkuta_uprising_1953", "uprising", 1953, 1953)
    group("sevvostlag")
    if not any("butugychag" in (f.get("id") or "") for f in d.features):
        d.bad("coverage", "no Butugychag feature (id containing 'butugychag')")
    slon = group("slon")
    if slon and not any("solov" in (f.get("id") or "") for f in slon):
        d.bad("coverage", "group 'slon' has no Solovki feature")
    expect("vinnytsia", "execution_site", 1937, 1938)
    lviv = group("lviv_1941", minimum=3)
    for f in lviv:
        if to_int(f.get("year_start")) != 1941 or to_int(f.get("year_end")) != 1941:
            d.bad(f["_where"], "Lviv 1941 prison should have years 1941–1941")
    expect("transpolar_railway", "railway", 1947, 1953)
    # corrections of the camp-system issue: Kuzbasslag and Yuzhkuzbasslag are two camps;
    # Sevvostlag's entry in the reference book closes in 1952
    expect("kuzbasslag", "camp", 1946, 1948)
    expect("yuzhkuzbasslag", "camp", 1947, 1960)
    sev = group("sevvostlag")
    if sev and max((to_int(f.get("year_end")) or 0) for f in sev) != 1952:
        d.bad("coverage", "group 'sevvostlag' should end in 1952 (the reference book's closing year)")
    group("transpolar", "station", minimum=3)


def check_forbidden(d):
    for f in d.features:
        w = f["_where"]
        names = " ".join((f.get(k) or "") for k in ("id", "name_en", "name_ru", "name_local", "name_alt")).lower()
        # whole words: Khatynnakh, a Kolyma settlement, is not Khatyn
        if any(re.search(r"(?<![\w])" + re.escape(n) + r"(?![\w])", names) for n in FORBIDDEN_NAMES):
            d.bad(w, "Khatyn is a German reprisal massacre of 1943, not a Soviet repression site; it does not belong here (Katyn is in Smolensk oblast)")
        text = " ".join((f.get(k) or "") for k in ("name_en", "description", "notes")).lower()
        for p in FORBIDDEN_PHRASES:
            if p in text:
                d.bad(w, f"forbidden blame phrasing {p!r}")
        kind = f.get("kind")
        peak = to_int(f.get("prisoners_peak"))
        bound = CAMP_BOUND_EXCEPTIONS.get(f.get("id"), MAX_CAMP_PRISONERS)
        if kind == "camp" and peak is not None and peak > bound:
            d.bad(w, f"prisoners_peak {peak} above {bound} for one camp")
        vmax = to_int(f.get("victims_max"))
        if kind == "execution_site" and vmax is not None and vmax > MAX_EXEC_VICTIMS:
            d.bad(w, f"victims_max {vmax} above {MAX_EXEC_VICTIMS}")
        dmax = to_int(f.get("deported_max"))
        if dmax is not None and dmax > MAX_DEPORTED:
            d.bad(w, f"deported_max {dmax} above {MAX_DEPORTED}")
    for r in d.site_years:
        n = to_int(r.get("prisoners"))
        bound = CAMP_BOUND_EXCEPTIONS.get(r.get("site_id"), MAX_CAMP_PRISONERS)
        if n is not None and n > bound:
            d.bad(r["_where"], f"prisoners {n} above {bound} for one camp")


def url_host(url):
    m = re.match(r"^[a-z][a-z0-9+.-]*://([^/?#]+)", (url or "").strip(), re.I)
    if not m:
        return ""
    return m.group(1).rsplit("@", 1)[-1].split(":")[0].lower().rstrip(".")


def forbidden_host(url):
    h = url_host(url)
    if not h:
        return None
    if h.startswith("www."):
        h = h[4:]
    if BLOGSPOT_RE.search(h):
        return h
    for bad in FORBIDDEN_HOSTS:
        if h == bad or h.endswith("." + bad):
            return h
    return None


def check_source_hosts(d):
    """A source on a blog platform, a social network or a document mirror is refused."""
    for sid, defs in d.sources.items():
        for where, _citation, url in defs:
            h = forbidden_host(url)
            if h:
                d.bad(where, f"source {sid!r} is on {h}, a blog, social network or document mirror: "
                             "cite the publication behind it, or move the figure to the notes")


def year_sum_rows(site_years):
    """The 1 January count of every site and year that the atlas sums.

    Rule (docs/data.md, 'Yearly counts and totals'): a row counts for year Y
    only when its as_of is Y-01-01 (a row without as_of is a 1 January
    count). A count taken later in the year (in the founding year of a camp,
    or a mid-year or autumn count) is never added, so a predecessor's
    1 January count and its successor's later count of the same year are
    never summed. One row per site and year (duplicates are a schema error).
    Returns {year: {site_id: prisoners}}."""
    out = {}
    for r in site_years:
        y, n = to_int(r.get("year")), to_int(r.get("prisoners"))
        if y is None or n is None:
            continue
        a = (r.get("as_of") or "").strip()
        if a and a != f"{y}-01-01":
            continue
        out.setdefault(y, {}).setdefault(r.get("site_id"), n)
    return out


def check_year_sum_rule(d):
    """The rule on the cases the dataset issue names, and on a made-up pair."""
    fake = [{"site_id": "old", "year": "1950", "prisoners": "100", "as_of": "1950-01-01"},
            {"site_id": "new", "year": "1950", "prisoners": "90", "as_of": "1950-06-01", "note": "x"},
            {"site_id": "plain", "year": "1950", "prisoners": "5"}]
    got = sum(year_sum_rows(fake).get(1950, {}).values())
    if got != 105:
        d.bad("totals", f"year-sum rule: predecessor 100 (1 January) + successor 90 (June) + 5 gave {got}, not 105")
    sums = year_sum_rows(d.site_years)
    rows = {(r.get("site_id"), to_int(r.get("year"))): r for r in d.site_years}
    # (site, year, counted?): SLON's 1 January 1931 count with Belbaltlag formed from it in November 1931;
    # Dmitlag 1934 once; Bamlag's 1 January 1938 count with Amurlag formed from it in May 1938
    cases = (("slon_medvezhyegorsk", 1931, True), ("belbaltlag", 1931, False), ("dmitlag", 1934, True),
             ("bamlag", 1938, True), ("amurlag", 1938, False))
    for sid, y, counted in cases:
        r = rows.get((sid, y))
        if r is None:
            d.bad("totals", f"no {sid} {y} row to test the year-sum rule on")
            continue
        if (sid in sums.get(y, {})) != counted:
            d.bad(r["_where"], f"{sid} {y} {'should' if counted else 'should not'} be in the {y} sum "
                               f"(as_of {r.get('as_of')!r})")
    dm = [r for r in d.site_years if r.get("site_id") == "dmitlag" and to_int(r.get("year")) == 1934]
    if len(dm) != 1:
        d.bad("totals", f"dmitlag 1934: {len(dm)} rows, expected one")


def load_year_sums(testdata, d):
    path = os.path.join(testdata, "smirnov_year_sums.csv")
    ref = {}
    try:
        lines = [l for l in open(path, encoding="utf-8") if not l.startswith("#")]
    except OSError as e:
        d.bad("totals", f"cannot read {path}: {e}")
        return ref
    for i, r in enumerate(csv.DictReader(lines), 2):
        y, n = to_int(r.get("year")), to_int(r.get("prisoners"))
        if y is None or n is None or n <= 0:
            d.bad(f"smirnov_year_sums.csv:{i}", "bad row")
            continue
        ref[y] = n
    return ref


def check_totals(d, testdata):
    check_year_sum_rule(d)
    ref = load_year_sums(testdata, d)
    sums = year_sum_rows(d.site_years)
    passed = []
    for y in range(TOTALS_FIRST, TOTALS_LAST + 1):
        if y not in ref:
            d.bad("totals", f"{y}: no reference sum in smirnov_year_sums.csv")
            continue
        ours = sum(sums.get(y, {}).values())
        dev = (ours - ref[y]) / ref[y]
        if abs(dev) > TOTALS_TOLERANCE:
            d.bad("totals", f"{y}: the camps sum to {ours:,} on 1 January, the reference book to {ref[y]:,} "
                            f"({dev:+.1%}, more than {TOTALS_TOLERANCE:.0%} off)")
        else:
            passed.append(y)
    print(f"totals: {len(passed)} of {TOTALS_LAST - TOTALS_FIRST + 1} years within {TOTALS_TOLERANCE:.0%} "
          f"of the reference book's sum")
    # the published Gulag totals (gulag_totals.csv), if present
    seen = set()
    for r in d.totals:
        w = r["_where"]
        y, n = to_int(r.get("year")), to_int(r.get("prisoners"))
        if y is None or not 1917 <= y <= 1991:
            d.bad(w, f"year {r.get('year')!r} is not a year 1917-1991")
            continue
        if y in seen:
            d.bad(w, f"year {y} given twice")
        seen.add(y)
        if n is None or n <= 0:
            d.bad(w, f"prisoners {r.get('prisoners')!r} is not a positive integer")
        a = (r.get("as_of") or "").strip()
        m = AS_OF_RE.match(a)
        if not m or int(m.group(1)) != y:
            d.bad(w, f"as_of {a!r} is not a date YYYY-MM-DD in {y}")
        if not (r.get("counts") or "").strip():
            d.bad(w, "counts (what is counted) is empty")
        src = (r.get("source") or "").strip()
        if not src:
            d.bad(w, "source is empty")
        for s_ in src.split(";"):
            if s_.strip() and s_.strip() not in d.sources:
                d.bad(w, f"source {s_.strip()!r} is not defined")


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    geodata, testdata = argv[1], argv[2]
    only = None
    if len(argv) > 3:
        if argv[3] != "--only" or len(argv) != 5 or argv[4] not in KNOWN_PARTS:
            print(f"test_dataset.py: unknown arguments {' '.join(argv[3:])!r}; "
                  f"use --only with one of {', '.join(KNOWN_PARTS)}", file=sys.stderr)
            return 2
        only = argv[4]
    d = Data()
    load(geodata, d)
    if not d.features:
        d.bad(geodata, "no features found")
    regions = load_regions(testdata, d)
    colocated = load_colocated(testdata, d)
    checks = {"schema": lambda: check_schema(d, regions, colocated),
              "coverage": lambda: (check_coverage(d), check_figures(d)),
              "forbidden": lambda: (check_forbidden(d), check_source_hosts(d)),
              "totals": lambda: check_totals(d, testdata)}
    for name, fn in checks.items():
        if only in (None, name):
            fn()
    label = only or "all"
    print(f"dataset ({label}): {len(d.features)} features, {len(d.site_years)} site_years rows, {len(d.sources)} sources"
          + (f"; skipped (own tests): {', '.join(d.skipped)}" if d.skipped else ""))
    for p in d.problems:
        print("  PROBLEM " + p)
    if d.problems:
        print(f"FAILED: {len(d.problems)} problem(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
