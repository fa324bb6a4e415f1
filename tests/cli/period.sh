#!/bin/sh
# period.sh ATLAS TESTDATA SRC CASE: the reference layers (borders of a
# date, places with the names of their year, published totals): loading,
# checks, exports, and the maps and handouts that show them. Runs in a
# fresh folder; exit 0 passes.
set -u
ATLAS=$1 DATA=$2 SRC=$3 CASE=$4
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
expect() { sh "$here/expect_error.sh" "$@"; }
cp -r "$DATA/period" fx
"$ATLAS" load -q --db fx.gpkg fx || fail "loading the fixtures"
names() { # LAYER ARGS...: the "name" of each exported feature, by id
    "$ATLAS" export --db fx.gpkg --layer "$@" |
        jq -r '.features[] | "\(.id)=\(.properties.name)"' | tr '\n' ' '
}
geo() { # the real dataset, loaded once per case
    [ -e geo.gpkg ] || "$ATLAS" load -q --db geo.gpkg "$SRC/geodata" ||
        fail "loading geodata"
}
# Names of the year in LANG of the places in the real dataset, "id=name ".
geo_names() {
    "$ATLAS" export --db geo.gpkg --layer places "$@" |
        jq -r '.features[] | "\(.id)=\(.properties.name)"' | tr '\n' ' '
}

case $CASE in
load_counts)
    n() { sqlite3 -readonly fx.gpkg "SELECT count(*) FROM $1"; }
    [ "$(n borders)" = 5 ] || fail "borders: $(n borders)"
    [ "$(n places)" = 2 ] || fail "places: $(n places)"
    [ "$(n place_names)" = 8 ] || fail "place_names: $(n place_names)"
    [ "$(n gulag_totals)" = 1 ] || fail "gulag_totals: $(n gulag_totals)"
    # loading again changes nothing (upserts by key)
    before=$(sqlite3 -readonly fx.gpkg "SELECT * FROM borders; SELECT * FROM places; SELECT * FROM place_names" | md5sum)
    "$ATLAS" load -q --db fx.gpkg fx || fail "second load"
    after=$(sqlite3 -readonly fx.gpkg "SELECT * FROM borders; SELECT * FROM places; SELECT * FROM place_names" | md5sum)
    [ "$before" = "$after" ] || fail "a second load changed the reference layers"
    ogrinfo -ro -so fx.gpkg borders | grep -q "Feature Count: 5" ||
        fail "ogrinfo does not read the borders layer" ;;
borders_by_date)
    got=$(names borders --year 1935)
    [ "$got" = "xa_1930=Aland xb_1930=Bland " ] || fail "1935: $got"
    got=$(names borders --date 1939-09-17)
    [ "$got" = "xa_1939=Aland xb_1939=Bland " ] || fail "1939-09-17: $got"
    got=$(names borders --date 1939-09-16)
    [ "$got" = "xa_1930=Aland xb_1930=Bland " ] || fail "1939-09-16: $got"
    # states first, then the occupied areas
    got=$(names borders --year 1942)
    [ "$got" = "xa_1939=Aland xb_1939=Bland xa_occupied_1942=Under occupation " ] ||
        fail "1942: $got"
    [ "$(names borders --year 1935 --lang pl)" = "xa_1930=Alandia xb_1930=Bland " ] ||
        fail "Polish names with English fallback"
    [ "$("$ATLAS" export --db fx.gpkg --layer borders | jq '.features | length')" = 5 ] ||
        fail "without a date every period"
    "$ATLAS" export --db fx.gpkg --layer borders --date 1935-06-01 > b.geojson
    jq -e '.features[0].geometry.type == "MultiPolygon" and
           .features[0].properties.state == "XA" and
           .features[0].properties.label_lon == 45 and
           (.features[0].properties | has("precision") and has("sources"))' \
        b.geojson >/dev/null || fail "properties or geometry of a border"
    ogrinfo -ro -al -so b.geojson | grep -q "Feature Count: 2" ||
        fail "OGR does not read the export" ;;
places_by_year)
    [ "$(names places --year 1922)" = "p_alpha=Alphagrad " ] ||
        fail "1922: $(names places --year 1922)"
    [ "$(names places --year 1937)" = "p_alpha=Alpha p_beta=Beta " ] ||
        fail "1937: $(names places --year 1937)"
    [ "$(names places --year 1937 --lang ru)" = "p_alpha=Альфа p_beta=Бета " ] ||
        fail "ru 1937"
    # no uk name for p_beta: English, never Russian
    [ "$(names places --year 1937 --lang uk)" = "p_alpha=Альфа p_beta=Beta " ] ||
        fail "uk 1937: $(names places --year 1937 --lang uk)"
    "$ATLAS" export --db fx.gpkg --layer places --year 1937 |
        jq -e '.features[0].properties.names | length == 6' >/dev/null ||
        fail "every name of a place with the export" ;;
geodata_borders)
    # the real borders through the store and the export, against the
    # place-date checks chosen from the sources
    geo
    "$ATLAS" export --db geo.gpkg --layer borders > all.geojson || fail export
    python3 "$SRC/tests/test_borders.py" all.geojson \
        "$DATA/border_checks.csv" > out.txt || { tail -20 out.txt; fail "border checks"; }
    # and a day's own export holds only that day's periods
    "$ATLAS" export --db geo.gpkg --layer borders --date 1942-01-01 > d.geojson
    jq -e '[.features[] | select(.properties.date_start > "1942-01-01" or
            .properties.date_end < "1942-01-01")] | length == 0' d.geojson \
        >/dev/null || fail "--date gives periods of another day"
    jq -e '[.features[] | select(.properties.kind == "occupied")] | length > 0' \
        d.geojson >/dev/null || fail "no occupied area on 1 January 1942" ;;
geodata_places)
    geo
    got=$(geo_names --year 1937)
    for n in Leningrad Sverdlovsk Stalingrad Gorky Kuibyshev Stalino Frunze; do
        echo "$got" | grep -q "=$n " || fail "1937 names no $n"
    done
    got=$(geo_names --year 1950)
    for n in Molotov Kaliningrad; do
        echo "$got" | grep -q "=$n " || fail "1950 names no $n"
    done
    geo_names --year 1922 | grep -q "=Petrograd " || fail "1922 names no Petrograd"
    geo_names --year 1937 --lang ru | grep -q "=Ленинград " ||
        fail "1937 in Russian names no Ленинград" ;;
handout_uk)
    # a Ukrainian handout of the west in 1941 shows no name that exists
    # only in Russian: sites and places fall back to the local name, then
    # English, never to Russian
    geo
    "$ATLAS" handout --db geo.gpkg --year 1941 --extent west --lang uk \
        -o h.pdf || fail handout
    pdftotext -layout h.pdf h.txt || fail pdftotext
    "$ATLAS" export --db geo.gpkg --year 1941 > s.geojson
    "$ATLAS" export --db geo.gpkg --layer places --year 1941 > p.geojson
    python3 - s.geojson p.geojson h.txt <<'EOF' || fail "Russian-only names on the uk handout"
import json, re, sys
sites, places, text = sys.argv[1:4]
page = open(text, encoding="utf-8").read()
# the list of sources at the end cites titles and publishers, not names
cut = page.rfind("Джерела\n")
page = re.sub(r"\s+", " ", page[:cut] if cut > 0 else page)
bad = []
for f in json.load(open(sites))["features"]:
    p = f["properties"]
    ru = p.get("name_ru")
    others = {p.get("name_uk"), p.get("name_local"), p.get("name_en")}
    if ru and ru not in others and len(ru) > 6 and ru in page:
        bad.append(ru)
for f in json.load(open(places))["features"]:
    p = f["properties"]
    mine = {n["name"] for n in p["names"] if n["lang"] != "ru"}
    for n in p["names"]:
        if n["lang"] == "ru" and n["name"] not in mine and len(n["name"]) > 4 \
           and re.search(r"(?<!\w)" + re.escape(n["name"]) + r"(?!\w)", page):
            bad.append(n["name"])
if bad:
    print("Russian-only names:", sorted(set(bad))[:20])
    sys.exit(1)
EOF
    grep -q "Львів" h.txt || fail "no Львів on the uk handout" ;;
handout_pl)
    geo
    "$ATLAS" handout --db geo.gpkg --year 1941 --extent west --lang pl \
        -o h.pdf || fail handout
    pdftotext h.pdf h.txt || fail pdftotext
    for n in Lwów Łuck Drohobycz; do
        grep -q "$n" h.txt || fail "the pl handout does not name $n"
    done ;;
map_period)
    # the 1937 map draws the period's borders, not today's: the modern
    # borders' legend entry is gone, and the foot names the day
    geo
    "$ATLAS" render --db geo.gpkg --year 1937 -o m.pdf || fail render
    "$ATLAS" render --db geo.gpkg --year 1937 --modern-borders -o mm.pdf ||
        fail "render --modern-borders"
    pdftotext m.pdf m.txt
    pdftotext mm.pdf mm.txt
    grep -q "Modern border" m.txt && fail "modern borders on a 1937 map"
    grep -q "Modern border" mm.txt || fail "--modern-borders shows no modern borders"
    tr '\n' ' ' < m.txt | grep -q "Borders as of 1937-01-01" ||
        fail "the foot does not name the borders' day"
    for n in Moscow Leningrad Kyiv; do
        grep -q "$n" m.txt || fail "the 1937 map does not name $n"
    done
    # the hatch is explained where an occupied area shows, not elsewhere
    "$ATLAS" render --db geo.gpkg --year 1942 --extent west -o w.pdf &&
        "$ATLAS" render --db geo.gpkg --year 1940 --extent kolyma -o k.pdf ||
        fail "render west, kolyma"
    pdftotext w.pdf w.txt && pdftotext k.pdf k.txt
    tr '\n' ' ' < w.txt | grep -q "Hatched: under German" ||
        fail "the 1942 west map does not explain the hatch"
    tr '\n' ' ' < k.txt | grep -q "Hatched" &&
        fail "the 1940 Kolyma map explains a hatch it does not show"
    true ;;
totals_share)
    # the caption compares the camps on the map with the published total
    # of the year, by their 1 January counts only, and cites the total
    geo
    "$ATLAS" handout --db geo.gpkg --year 1953 -o h.pdf || fail handout
    pdftotext h.pdf h.txt || fail pdftotext
    line=$(tr '\n' ' ' < h.txt | grep -o "The camps on this map held [0-9.]* % of the 1,727,970 prisoners in all Gulag camps on 1 January 1953 \[[0-9]*\]") ||
        fail "no share in the caption"
    pct=$(echo "$line" | sed 's/.* held \([0-9.]*\) %.*/\1/')
    n=$(echo "$line" | sed 's/.*\[\([0-9]*\)\]/\1/')
    # the 1 January counts of 1953 add up to 99 % of the total; the
    # year's largest counts (founding-year counts too) would give 107 %
    [ "${pct%.*}" -ge 95 ] && [ "${pct%.*}" -le 100 ] ||
        fail "share $pct %, expected 95-100 % (1 January counts only)"
    grep -q "^$n\. .*Земсков\|^$n\. .*Zemskov\|^$n\. .*Getty" h.txt ||
        fail "source [$n] of the total is not in the sources list" ;;
bad_name_year)
    printf 'place_id,lang,name,year_start,year_end,source\np_alpha,de,Alfa,1850,,ref_a\n' > y.csv
    expect 1 "y.csv:2: year_start 1850 is outside 1900-2000" fx.gpkg \
        "$ATLAS" load --db fx.gpkg y.csv ;;
bad_name_overlap)
    printf 'place_id,lang,name,year_start,year_end,source\np_alpha,en,Alfastadt,1920,,ref_a\n' > o.csv
    expect 1 'o.csv:2: the en name "Alfastadt" of p_alpha overlaps "Alphagrad" (-1923) in time: one name a year a language' \
        fx.gpkg "$ATLAS" load --db fx.gpkg o.csv ;;
bad_name_place)
    printf 'place_id,lang,name,year_start,year_end,source\np_nowhere,en,Nowhere,,,\n' > n.csv
    expect 1 'n.csv:2: place_id "p_nowhere" names no place' fx.gpkg \
        "$ATLAS" load --db fx.gpkg n.csv ;;
bad_border_polygon)
    jq '.features[0].geometry.coordinates = [[[40,50],[50,60],[50,50],[40,60],[40,50]]]' \
        fx/borders.geojson > bow.geojson
    expect 1 "bow.geojson: feature 1: invalid polygon (a ring crosses itself or another ring)" \
        fx.gpkg "$ATLAS" load --db fx.gpkg bow.geojson ;;
bad_border_gap)
    jq '.features[1].properties.date_start = "1939-09-20"' fx/borders.geojson > gap.geojson
    expect 1 "gap.geojson: feature 2: a gap between the periods xa_1930 and xa_1939 of XA state (a period starts the day after the one before ends; set restored where the state did not exist between)" \
        fx.gpkg "$ATLAS" load --db fx.gpkg gap.geojson ;;
bad_border_overlap)
    jq '.features[3].properties.date_start = "1939-09-10"' fx/borders.geojson > ov.geojson
    expect 1 "ov.geojson: feature 4: border xb_1939 overlaps xb_1930 in time (both are XB state)" \
        fx.gpkg "$ATLAS" load --db fx.gpkg ov.geojson ;;
bad_border_date)
    jq '.features[0].properties.date_end = "1939-02-30"' fx/borders.geojson > dt.geojson
    expect 1 'dt.geojson: feature 1: date_end "1939-02-30" is not a date YYYY-MM-DD' \
        fx.gpkg "$ATLAS" load --db fx.gpkg dt.geojson ;;
bad_date_option)
    expect 1 '--date: "1937-13-01": expected a date YYYY-MM-DD between 1900 and 2000' \
        fx.gpkg "$ATLAS" export --db fx.gpkg --layer borders --date 1937-13-01 ;;
*)
    fail "unknown case $CASE" ;;
esac
