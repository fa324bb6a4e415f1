#!/usr/bin/env python3
"""Checks of the reference places (geodata/places.csv, place_names.csv,
sources_places.csv); see docs/data.md, "Reference places".

usage: test_places.py GEODATA_DIR

Structure (headers, ids, kinds, ranks, coordinates, regions, years,
sources), names (en, ru, uk and pl for every year 1917-1991 in which a
place exists, exactly one name a year, no overlapping periods, scripts) and
spot checks of known renames. Prints one line per check and, last,
"N passed, M failed"; exits 1 if any check failed. Standard library only.
"""
import csv
import glob
import json
import os
import re
import sys

PLACES_HEADER = ["id", "kind", "rank", "lon", "lat", "region", "year_start", "year_end", "sources", "notes"]
NAMES_HEADER = ["place_id", "lang", "name", "year_start", "year_end", "source"]
SOURCES_HEADER = ["id", "citation", "url"]
KINDS = {"capital", "city", "town", "sea", "lake", "river", "region", "line"}
SETTLEMENT_KINDS = {"capital", "city", "town"}
LANGS = {"en", "ru", "uk", "pl", "lt", "lv", "et", "be", "kk", "de", "fi", "ro", "ja", "zh", "mn"}
REQUIRED_LANGS = ("en", "ru", "uk", "pl")
# the local language a settlement in this country must also be named in
LOCAL_LANG = {"LT": "lt", "LV": "lv", "EE": "et", "BY": "be", "KZ": "kk", "FI": "fi",
              "MD": "ro", "RO": "ro", "JP": "ja", "CN": "zh", "MN": "mn"}
CYRILLIC_LANGS = {"ru", "uk", "be", "kk", "mn"}
LATIN_LANGS = {"en", "pl", "lt", "lv", "et", "de", "fi", "ro"}
CJK_LANGS = {"ja", "zh"}
ID_RE = re.compile(r"^p_[a-z0-9_]+$")
REGION_RE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
CYR = re.compile(r"[\u0400-\u04FF]")
LAT = re.compile(r"[A-Za-z\u00C0-\u024F]")
ROMAN = re.compile(r"\b[IVX]+\b")
CJK = re.compile(r"[\u3040-\u30FF\u4E00-\u9FFF]")
FIRST, LAST = 1917, 1991      # years every place must be named for
MIN_YEAR, MAX_YEAR = 1900, 2000
MIN_PLACES, MAX_PLACES = 250, 400

# (place id, language, year, expected name): facts from the sources
SPOT = [
    ("p_saint_petersburg", "ru", 1937, "Ленинград"),
    ("p_saint_petersburg", "en", 1922, "Petrograd"),
    ("p_saint_petersburg", "en", 1910, "Saint Petersburg"),
    ("p_saint_petersburg", "en", 1995, "Saint Petersburg"),
    ("p_perm", "en", 1950, "Molotov"),
    ("p_perm", "en", 1937, "Perm"),
    ("p_kaliningrad", "en", 1950, "Kaliningrad"),
    ("p_kaliningrad", "en", 1937, "Königsberg"),
    ("p_kaliningrad", "pl", 1937, "Królewiec"),
    ("p_lviv", "pl", 1950, "Lwów"),
    ("p_lviv", "uk", 1950, "Львів"),
    ("p_lviv", "ru", 1950, "Львов"),
    ("p_lviv", "en", 1930, "Lwów"),
    ("p_volgograd", "en", 1937, "Stalingrad"),
    ("p_volgograd", "en", 1920, "Tsaritsyn"),
    ("p_volgograd", "ru", 1970, "Волгоград"),
    ("p_donetsk", "en", 1937, "Stalino"),
    ("p_donetsk", "uk", 1970, "Донецьк"),
    ("p_samara", "en", 1937, "Kuibyshev"),
    ("p_samara", "ru", 1937, "Куйбышев"),
    ("p_bishkek", "en", 1937, "Frunze"),
    ("p_yekaterinburg", "en", 1937, "Sverdlovsk"),
    ("p_yekaterinburg", "ru", 1937, "Свердловск"),
    ("p_nizhny_novgorod", "en", 1937, "Gorky"),
    ("p_kyiv", "uk", 1937, "Київ"),
    ("p_kyiv", "pl", 1937, "Kijów"),
    ("p_kharkiv", "uk", 1937, "Харків"),
    ("p_kharkiv", "ru", 1937, "Харьков"),
    ("p_vilnius", "pl", 1937, "Wilno"),
    ("p_vilnius", "lt", 1937, "Vilnius"),
    ("p_vilnius", "en", 1950, "Vilnius"),
    ("p_orenburg", "en", 1950, "Chkalov"),
    ("p_tver", "en", 1950, "Kalinin"),
    ("p_dushanbe", "en", 1950, "Stalinabad"),
    ("p_vladikavkaz", "en", 1950, "Dzaudzhikau"),
    ("p_vladikavkaz", "en", 1937, "Ordzhonikidze"),
    ("p_luhansk", "en", 1950, "Voroshilovgrad"),
    ("p_luhansk", "en", 1960, "Luhansk"),
    ("p_luhansk", "en", 1980, "Voroshilovgrad"),
    ("p_mariupol", "en", 1960, "Zhdanov"),
    ("p_ivano_frankivsk", "en", 1950, "Stanislav"),
    ("p_ivano_frankivsk", "en", 1970, "Ivano-Frankivsk"),
    ("p_vyborg", "en", 1937, "Viipuri"),
    ("p_vyborg", "en", 1950, "Vyborg"),
    ("p_yuzhno_sakhalinsk", "en", 1937, "Toyohara"),
    ("p_yuzhno_sakhalinsk", "en", 1950, "Yuzhno-Sakhalinsk"),
    ("p_kirov", "en", 1950, "Kirov"),
    ("p_kirov", "en", 1925, "Vyatka"),
    ("p_almaty", "en", 1937, "Alma-Ata"),
    ("p_astana", "en", 1970, "Tselinograd"),
    ("p_khujand", "en", 1950, "Leninabad"),
    ("p_ulaanbaatar", "en", 1920, "Urga"),
    ("p_beijing", "en", 1937, "Peiping"),
    ("p_changchun", "en", 1937, "Hsinking"),
    ("p_novosibirsk", "en", 1937, "Novosibirsk"),
    ("p_novokuznetsk", "en", 1950, "Stalinsk"),
    ("p_syktyvkar", "en", 1950, "Syktyvkar"),
    ("p_severodvinsk", "en", 1950, "Molotovsk"),
    ("p_oslo", "en", 1920, "Kristiania"),
]
# places that must exist, and the year they must not exist in (founded later)
NOT_YET = [("p_magadan", 1925), ("p_norilsk", 1930), ("p_komsomolsk", 1930), ("p_vorkuta", 1925)]


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, problems):
        problems = list(problems)
        if problems:
            self.failed += 1
            print(f"FAIL {name}: {len(problems)} problem(s)")
            for p in problems[:40]:
                print(f"  {p}")
            if len(problems) > 40:
                print(f"  ... and {len(problems) - 40} more")
        else:
            self.passed += 1
            print(f"ok   {name}")


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        return [], []
    return rows[0], rows[1:]


def year(s):
    if s == "":
        return None
    if not re.fullmatch(r"\d{4}", s):
        raise ValueError(s)
    return int(s)


def other_ids(geodata):
    """ids of the sites and lines in GEODATA_DIR (all CSVs with an id but no citation, all GeoJSON)."""
    ids = {}
    for path in sorted(glob.glob(os.path.join(geodata, "*.csv"))):
        name = os.path.basename(path)
        if name in ("places.csv", "place_names.csv"):
            continue
        header, rows = read_csv(path)
        if "id" not in header or "citation" in header:
            continue
        i = header.index("id")
        for r in rows:
            if len(r) > i:
                ids.setdefault(r[i], name)
    for path in sorted(glob.glob(os.path.join(geodata, "*.geojson"))):
        try:
            gj = json.load(open(path, encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for f in gj.get("features", []):
            pid = (f.get("properties") or {}).get("id")
            if pid:
                ids.setdefault(str(pid), os.path.basename(path))
    return ids


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    geodata = sys.argv[1]
    rep = Report()

    ph, prows = read_csv(os.path.join(geodata, "places.csv"))
    nh, nrows = read_csv(os.path.join(geodata, "place_names.csv"))
    sh, srows = read_csv(os.path.join(geodata, "sources_places.csv"))
    rep.check("places.csv header", [] if ph == PLACES_HEADER else [f"header is {ph}"])
    rep.check("place_names.csv header", [] if nh == NAMES_HEADER else [f"header is {nh}"])
    rep.check("sources_places.csv header", [] if sh == SOURCES_HEADER else [f"header is {sh}"])
    rep.check("field counts", [f"places.csv:{i}: {len(r)} fields" for i, r in enumerate(prows, 2) if len(r) != len(PLACES_HEADER)]
              + [f"place_names.csv:{i}: {len(r)} fields" for i, r in enumerate(nrows, 2) if len(r) != len(NAMES_HEADER)]
              + [f"sources_places.csv:{i}: {len(r)} fields" for i, r in enumerate(srows, 2) if len(r) != len(SOURCES_HEADER)])
    places = [dict(zip(PLACES_HEADER, r)) for r in prows if len(r) == len(PLACES_HEADER)]
    names = [dict(zip(NAMES_HEADER, r)) for r in nrows if len(r) == len(NAMES_HEADER)]
    sources = [dict(zip(SOURCES_HEADER, r)) for r in srows if len(r) == len(SOURCES_HEADER)]

    # sources: defined once, with a citation; any sources_*.csv of the directory may define one
    prob = []
    defined = {}
    for s in sources:
        if s["id"] in defined:
            prob.append(f"source {s['id']} defined twice")
        if not s["citation"].strip():
            prob.append(f"source {s['id']} has no citation")
        defined[s["id"]] = s
    for path in glob.glob(os.path.join(geodata, "sources_*.csv")):
        h, rows = read_csv(path)
        if "id" in h:
            for r in rows:
                defined.setdefault(r[h.index("id")], None)
    rep.check("sources defined once, with a citation", prob)

    # places
    rep.check(f"{MIN_PLACES}-{MAX_PLACES} places", [] if MIN_PLACES <= len(places) <= MAX_PLACES else [f"{len(places)} places"])
    prob = []
    seen = set()
    for p in places:
        if not ID_RE.match(p["id"]):
            prob.append(f"{p['id']!r}: id is not p_[a-z0-9_]+")
        if p["id"] in seen:
            prob.append(f"{p['id']}: id twice")
        seen.add(p["id"])
    rep.check("place ids unique and p_-prefixed", prob)
    clash = other_ids(geodata)
    rep.check("place ids do not clash with site and line ids",
              [f"{p['id']} is also an id in {clash[p['id']]}" for p in places if p["id"] in clash])

    prob = []
    for p in places:
        if p["kind"] not in KINDS:
            prob.append(f"{p['id']}: kind {p['kind']!r}")
            continue
        top = 4 if p["kind"] in SETTLEMENT_KINDS else 3
        if not re.fullmatch(r"[1-4]", p["rank"]) or int(p["rank"]) > top:
            prob.append(f"{p['id']}: rank {p['rank']!r} (1..{top} for {p['kind']})")
    rep.check("kinds and ranks valid", prob)

    prob = []
    for p in places:
        try:
            lon, lat = float(p["lon"]), float(p["lat"])
        except ValueError:
            prob.append(f"{p['id']}: lon/lat not numbers")
            continue
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            prob.append(f"{p['id']}: lon/lat {lon}, {lat} out of range")
        elif not (20 <= lat <= 85 and (lon >= 0 or lon <= -160)):
            prob.append(f"{p['id']}: {lon}, {lat} outside the atlas area")
    rep.check("coordinates in range", prob)

    prob = []
    for p in places:
        codes = p["region"].split(";")
        if not all(REGION_RE.match(c) for c in codes):
            prob.append(f"{p['id']}: region {p['region']!r}")
    rep.check("regions are ISO 3166 codes", prob)

    prob = []
    span = {}
    for p in places:
        try:
            a, b = year(p["year_start"]), year(p["year_end"])
        except ValueError:
            prob.append(f"{p['id']}: years {p['year_start']!r}, {p['year_end']!r} not years")
            continue
        for y in (a, b):
            if y is not None and not MIN_YEAR <= y <= MAX_YEAR:
                prob.append(f"{p['id']}: year {y} outside {MIN_YEAR}-{MAX_YEAR}")
        if a is not None and b is not None and a > b:
            prob.append(f"{p['id']}: year_start after year_end")
        span[p["id"]] = (a if a is not None else MIN_YEAR - 1, b if b is not None else MAX_YEAR + 1)
    rep.check("place years", prob)

    prob = []
    for p in places:
        ids = [s for s in p["sources"].split(";") if s]
        if not ids:
            prob.append(f"{p['id']}: no source")
        prob += [f"{p['id']}: source {s} not defined" for s in ids if s not in defined]
    rep.check("place sources defined", prob)

    # names
    byid = {p["id"]: p for p in places}
    prob = []
    periods = {}
    for i, n in enumerate(names, 2):
        w = f"place_names.csv:{i} ({n['place_id']} {n['lang']})"
        if n["place_id"] not in byid:
            prob.append(f"{w}: unknown place")
            continue
        if n["lang"] not in LANGS:
            prob.append(f"{w}: language {n['lang']!r}")
        if not n["name"].strip() or n["name"] != n["name"].strip():
            prob.append(f"{w}: empty name or blanks around it")
        try:
            a, b = year(n["year_start"]), year(n["year_end"])
        except ValueError:
            prob.append(f"{w}: years {n['year_start']!r}, {n['year_end']!r}")
            continue
        for y in (a, b):
            if y is not None and not MIN_YEAR <= y <= MAX_YEAR:
                prob.append(f"{w}: year {y} outside {MIN_YEAR}-{MAX_YEAR}")
        if a is not None and b is not None and a > b:
            prob.append(f"{w}: year_start after year_end")
        if (a is not None or b is not None) and not n["source"]:
            prob.append(f"{w}: a period without a source")
        if n["source"] and n["source"] not in defined:
            prob.append(f"{w}: source {n['source']} not defined")
        lo, hi = span[n["place_id"]]
        if (b is not None and b < lo) or (a is not None and a > hi):
            prob.append(f"{w}: {n['name']} lies outside the years of the place")
        periods.setdefault((n["place_id"], n["lang"]), []).append(
            (a if a is not None else MIN_YEAR - 1, b if b is not None else MAX_YEAR + 1, n["name"]))
    rep.check("name rows valid (place, language, years, source)", prob)

    prob = []
    for (pid, lang), ps in sorted(periods.items()):
        ps.sort()
        for (a1, b1, n1), (a2, b2, n2) in zip(ps, ps[1:]):
            if a2 <= b1:
                prob.append(f"{pid} {lang}: {n1} and {n2} overlap")
    rep.check("name periods do not overlap", prob)

    prob = []
    for p in places:
        lo, hi = span[p["id"]]
        for lang in REQUIRED_LANGS:
            ps = periods.get((p["id"], lang), [])
            if not ps:
                prob.append(f"{p['id']}: no {lang} name")
                continue
            for y in range(max(FIRST, lo), min(LAST, hi) + 1):
                k = sum(1 for a, b, _ in ps if a <= y <= b)
                if k != 1:
                    prob.append(f"{p['id']} {lang}: {k} names in {y}")
                    break
    rep.check("en, ru, uk, pl: one name in every year 1917-1991 the place exists", prob)

    prob = []
    for p in places:
        if p["kind"] not in SETTLEMENT_KINDS:
            continue
        lang = LOCAL_LANG.get(p["region"][:2])
        if lang and (p["id"], lang) not in periods:
            prob.append(f"{p['id']}: no {lang} name")
    rep.check("settlements named in the local language", prob)

    prob = []
    for n in names:
        nm, lang = n["name"], n["lang"]
        bare = ROMAN.sub("", nm)  # Roman numerals (Земля Императора Николая II) are no Latin text
        if lang in CYRILLIC_LANGS and (not CYR.search(nm) or LAT.search(bare)):
            prob.append(f"{n['place_id']} {lang}: {nm!r} is not Cyrillic")
        if lang in LATIN_LANGS and (CYR.search(nm) or not LAT.search(nm)):
            prob.append(f"{n['place_id']} {lang}: {nm!r} is not in Latin script")
        if lang in CJK_LANGS and not CJK.search(nm):
            prob.append(f"{n['place_id']} {lang}: {nm!r} has no Chinese or Japanese characters")
    rep.check("scripts (ru, uk Cyrillic; pl, en Latin; ja, zh CJK)", prob)

    def name_in(pid, lang, y):
        got = [n for a, b, n in periods.get((pid, lang), []) if a <= y <= b]
        return got[0] if len(got) == 1 else None

    for pid, lang, y, want in SPOT:
        got = name_in(pid, lang, y)
        rep.check(f"fact: {pid} {lang} {y} = {want}", [] if got == want else [f"got {got!r}"])
    for pid, y in NOT_YET:
        p = byid.get(pid)
        ok = p is not None and p["year_start"] != "" and int(p["year_start"]) > y
        rep.check(f"fact: {pid} does not exist yet in {y}", [] if ok else ["no later year_start"])
    for pid in ("p_magadan", "p_vorkuta", "p_norilsk"):
        p = byid.get(pid)
        rep.check(f"fact: {pid} is a town of rank 3", [] if p and (p["kind"], p["rank"]) == ("town", "3") else [str(p and (p['kind'], p['rank']))])
    for pid in ("p_moscow", "p_warsaw", "p_tokyo"):
        p = byid.get(pid)
        rep.check(f"fact: {pid} is a capital of rank 1", [] if p and (p["kind"], p["rank"]) == ("capital", "1") else [str(p and (p['kind'], p['rank']))])

    print(f"{rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
