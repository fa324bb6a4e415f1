#!/usr/bin/env python3
"""Checks of the names, significance flags and occupation periods of the
execution sites, prisons, stations and lines (see docs/schema.md, docs/data.md).

usage: test_site_names.py GEODATA_DIR

Reads executions.csv, prisons.csv, stations.csv and lines.geojson in
GEODATA_DIR and the sources_*.csv files beside them. Every check prints a line
only when it fails; the last line is "N passed, M failed" and the exit status
is 1 if anything failed. Standard library only.
"""
import csv
import glob
import json
import os
import sys

FILES = ("executions.csv", "prisons.csv", "stations.csv", "lines.geojson")

# today's regions that were in Poland before September 1939 (the whole region or
# nearly so): Lviv, Volyn, Rivne, Ternopil and Ivano-Frankivsk oblasts; Brest and
# Grodno oblasts; Vilnius county and city
PRE1939_POLAND = ("UA-46", "UA-07", "UA-56", "UA-61", "UA-26", "BY-BR", "BY-HR", "LT-VL", "LT-57")
# sites outside those regions that carry an established Polish name (Katyn
# crime, Kurapaty, Bykivnia)
NEED_PL = ("katyn_forest", "mednoye", "piatykhatky", "kharkiv_nkvd", "kalinin_nkvd", "kurapaty", "bykivnia")
# well-known sites outside Ukraine with an established Ukrainian name
NEED_UK = ("butovo", "sandarmokh", "katyn_forest", "kurapaty", "kolyma_highway")
# country -> language of name_local for sites there
LOCAL_LANG = {"LT": "lt", "LV": "lv", "EE": "et", "BY": "be", "KZ": "kk"}
SIGNIFICANT = ("butovo", "kommunarka", "levashovo", "sandarmokh", "kurapaty", "bykivnia",
               "katyn_forest", "mednoye", "piatykhatky", "lviv_brygidki", "lviv_lonckoho",
               "lviv_zamarstyniv", "vinnytsia", "lubyanka", "transpolar_railway",
               "belomorkanal", "kolyma_highway")
MAX_SIGNIFICANT = 30
# German occupation of the cities with an NKVD/MGB prison: region -> (city,
# first day of occupation, day of liberation)
OCCUPIED = {"LV-RIX": ("Riga", "1941-07-01", "1944-10-13"),
            "EE-37": ("Tallinn", "1941-08-28", "1944-09-22"),
            "BY-HM": ("Minsk", "1941-06-28", "1944-07-03"),
            "UA-46": ("Lviv", "1941-06-30", "1944-07-27"),
            "UA-30": ("Kyiv", "1941-09-19", "1943-11-06")}
# the prisons stored as two periods (group_id), with their region
TWO_PERIODS = {"stura_maja": "LV-RIX", "patarei": "EE-37", "volodarka": "BY-HM",
               "lviv_lonckoho_prison": "UA-46", "kyiv_lukianivka": "UA-30"}
NEW_SITES = ("koirankangas", "serpantinka", "vorkuta_kirpichny", "donskoe_grave1", "odesa_tatarka",
             "volodymyr_volynskyi", "chon_tash", "zhanalyk", "bozsu_tashkent", "novocherkassk_1962")

passed = 0
failed = 0


def check(ok, msg):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL " + msg)


def val(f, k):
    v = f.get(k)
    return "" if v is None else str(v).strip()


def year(f, k):
    try:
        return int(val(f, k))
    except ValueError:
        return None


def load(geodata):
    feats = []
    for name in FILES:
        path = os.path.join(geodata, name)
        if not os.path.exists(path):
            check(False, f"{name}: missing")
            continue
        if name.endswith(".csv"):
            with open(path, encoding="utf-8", newline="") as fh:
                r = csv.DictReader(fh)
                header = r.fieldnames or []
                for i, row in enumerate(r, 2):
                    row["_where"] = f"{name}:{i} ({row.get('id')})"
                    row["_point"] = True
                    feats.append(row)
            want = ["kind", "significant"]
            check(header[header.index("kind"):header.index("kind") + 2] == want if "kind" in header else False,
                  f"{name}: 'significant' must follow 'kind' in the header")
            check(header[header.index("local_lang"):header.index("local_lang") + 3] == ["local_lang", "name_uk", "name_pl"]
                  if "local_lang" in header else False,
                  f"{name}: 'name_uk,name_pl' must follow 'local_lang' in the header")
        else:
            with open(path, encoding="utf-8") as fh:
                gj = json.load(fh)
            for i, f in enumerate(gj.get("features", []), 1):
                p = dict(f.get("properties") or {})
                for k in ("significant", "name_uk", "name_pl"):
                    check(k in p, f"{name}#{i} ({p.get('id')}): property {k} missing (null where empty)")
                p["_where"] = f"{name}#{i} ({p.get('id')})"
                p["_point"] = (f.get("geometry") or {}).get("type") == "Point"
                feats.append(p)
    sources = set()
    for path in glob.glob(os.path.join(geodata, "sources_*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            sources |= {r["id"] for r in csv.DictReader(fh)}
    return feats, sources


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    feats, sources = load(argv[1])
    by_id = {val(f, "id"): f for f in feats}

    for f in feats:
        w, fid = f["_where"], val(f, "id")
        region = val(f, "region")
        codes = [c.strip() for c in region.split(";") if c.strip()]
        if region.startswith("UA"):
            check(val(f, "name_uk"), f"{w}: region {region} but no name_uk")
        if any(c in PRE1939_POLAND for c in codes):
            check(val(f, "name_pl"), f"{w}: region {region} was Polish before 1939 but no name_pl")
        if f["_point"] and codes:
            lang = LOCAL_LANG.get(codes[0].split("-")[0])
            if lang:
                check(val(f, "name_local") and val(f, "local_lang") == lang,
                      f"{w}: a site in {codes[0]} needs name_local with local_lang {lang} "
                      f"(has {val(f, 'name_local')!r}, {val(f, 'local_lang')!r})")
        s = val(f, "significant")
        check(s in ("0", "1"), f"{w}: significant {s!r} is not 0 or 1")
        if val(f, "name_uk") and val(f, "local_lang") == "uk" and region.startswith("UA"):
            check(val(f, "name_uk") == val(f, "name_local"), f"{w}: name_uk differs from the Ukrainian name_local")
        if val(f, "name_pl") and val(f, "local_lang") == "pl":
            check(val(f, "name_pl") == val(f, "name_local"), f"{w}: name_pl differs from the Polish name_local")

    for fid in NEED_PL:
        check(fid in by_id and val(by_id[fid], "name_pl"), f"{fid}: missing or no name_pl")
    for fid in NEED_UK:
        check(fid in by_id and val(by_id[fid], "name_uk"), f"{fid}: missing or no name_uk")
    for fid in SIGNIFICANT:
        check(fid in by_id and val(by_id[fid], "significant") == "1", f"{fid}: missing or not significant")
    n_sig = sum(1 for f in feats if val(f, "significant") == "1")
    check(n_sig <= MAX_SIGNIFICANT, f"{n_sig} significant features, at most {MAX_SIGNIFICANT}")

    # occupation: the split prisons have two periods around the occupation
    for gid, reg in TWO_PERIODS.items():
        city, occ, lib = OCCUPIED[reg]
        fs = sorted((f for f in feats if val(f, "group_id") == gid), key=lambda f: year(f, "year_start") or 0)
        check(len(fs) == 2, f"group {gid} ({city}): {len(fs)} features, expected two periods")
        if len(fs) != 2:
            continue
        a, b = fs
        check(year(a, "year_end") == int(occ[:4]) and val(a, "date_end") and val(a, "date_end") <= occ,
              f"{a['_where']}: first period of {city} must end by the occupation ({occ}), has {val(a, 'year_end')} / {val(a, 'date_end')!r}")
        check(year(b, "year_start") == int(lib[:4]) and val(b, "date_start") >= lib,
              f"{b['_where']}: second period of {city} must start at the liberation ({lib}), has {val(b, 'year_start')} / {val(b, 'date_start')!r}")
        check(val(a, "id") == gid, f"group {gid}: the first period keeps the id {gid}")
    # no prison in an occupied city is active through the occupation
    for f in feats:
        if val(f, "kind") not in ("prison", "transit"):
            continue
        reg = val(f, "region")
        if reg in OCCUPIED:
            city, occ, lib = OCCUPIED[reg]
            ys, ye = year(f, "year_start"), year(f, "year_end")
            inside = [y for y in range(int(occ[:4]) + 1, int(lib[:4])) if ys is not None and ye is not None and ys <= y <= ye]
            check(not inside, f"{f['_where']}: active in {inside} while {city} was occupied ({occ} – {lib})")

    # the new execution sites, with sources for every figure
    for fid in NEW_SITES:
        f = by_id.get(fid)
        check(f is not None and val(f, "kind") == "execution_site", f"{fid}: missing or not an execution_site")
        if f is None:
            continue
        refs = [s for s in val(f, "sources").split(";") if s.strip()]
        check(refs and all(s in sources for s in refs), f"{fid}: sources {refs} missing or undefined")
        for k in ("victims_min", "victims_max"):
            if val(f, k):
                src = val(f, k + "_source")
                check(src in sources, f"{fid}: {k} {val(f, k)} without a defined {k}_source ({src!r})")
        check(val(f, "name_ru") and val(f, "description"), f"{fid}: name_ru and description required")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
