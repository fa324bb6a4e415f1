#!/bin/sh
# store.sh ATLAS TESTDATA CASE: loading, querying and exporting the
# fixtures in TESTDATA/load. Runs in a fresh folder; exit 0 passes.
set -u
ATLAS=$1 DATA=$2 CASE=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
cp -r "$DATA/load" good
fail() { echo "FAIL: $*"; exit 1; }
"$ATLAS" load -q --db db.gpkg good || fail "loading the fixtures"
count() { sqlite3 -readonly db.gpkg "SELECT count(*) FROM $1"; }

case $CASE in
export_golden)
    # the stable text of an export: compare with the reviewed copy
    "$ATLAS" export --db db.gpkg --year 1937 > got.geojson || fail export
    diff -u "$DATA/load/expect-1937.geojson" got.geojson ||
        fail "export differs from expect-1937.geojson" ;;
geojson_ogr)
    "$ATLAS" export --db db.gpkg > all.geojson || fail export
    [ "$(jq 'has("crs")' all.geojson)" = false ] || fail "crs member present"
    n=$(ogrinfo -ro -al -so all.geojson | sed -n 's/^Feature Count: //p')
    [ "$n" = 7 ] || fail "ogrinfo counts $n features, expected 7"
    ogr2ogr -f CSV back.csv all.geojson || fail ogr2ogr
    grep -q '^sites,shot_west,,execution_site,"1",West Site,Западное место,Західне місце,uk,Західне місце,Miejsce Zachodnie,' back.csv ||
        fail "attributes did not survive: $(grep shot_west back.csv)"
    [ "$(jq -c '.features[] | select(.id == "camp_north") | .geometry.coordinates' all.geojson)" = "[64,67.5]" ] ||
        fail "coordinates are not lon,lat" ;;
roundtrip_csv)
    "$ATLAS" export --db db.gpkg > before.geojson &&
    "$ATLAS" export --db db.gpkg --format csv -o all.csv &&
    "$ATLAS" load -q --db new.gpkg all.csv good/sources.csv &&
    "$ATLAS" export --db new.gpkg > after.geojson || fail "round trip"
    diff -u before.geojson after.geojson || fail "CSV round trip changed data" ;;
roundtrip_shp)
    "$ATLAS" export --db db.gpkg > before.geojson &&
    "$ATLAS" export --db db.gpkg --format shp -o shp || fail "shp export"
    [ "$(cat shp/sites.cpg)" = UTF-8 ] || fail "no UTF-8 .cpg"
    grep -q WGS_1984 shp/sites.prj || fail "no WGS84 .prj"
    "$ATLAS" load -q --db new.gpkg shp good/sources.csv &&
    "$ATLAS" export --db new.gpkg > after.geojson || fail "shp load"
    diff -u before.geojson after.geojson || fail "Shapefile round trip changed data" ;;
idempotent)
    before=$(sqlite3 -readonly db.gpkg "SELECT * FROM sites; SELECT * FROM lines; SELECT * FROM site_years; SELECT * FROM sources" | md5sum)
    "$ATLAS" load -q --db db.gpkg good || fail "second load"
    after=$(sqlite3 -readonly db.gpkg "SELECT * FROM sites; SELECT * FROM lines; SELECT * FROM site_years; SELECT * FROM sources" | md5sum)
    [ "$before" = "$after" ] || fail "loading twice changed the database"
    [ "$(count sites)" = 5 ] && [ "$(count lines)" = 2 ] &&
    [ "$(count site_years)" = 4 ] || fail "counts after two loads" ;;
replace)
    head -2 good/sites.csv > one.csv
    "$ATLAS" load -q --db db.gpkg --replace one.csv || fail "replace"
    [ "$(count sites)" = 1 ] || fail "sites: $(count sites), expected 1"
    [ "$(count lines)" = 2 ] || fail "lines replaced by a file of sites"
    [ "$(count sources)" = 2 ] || fail "sources should stay" ;;
gpkg_valid)
    ogrinfo -ro db.gpkg >/dev/null 2>&1 || fail "ogrinfo cannot open"
    [ "$(sqlite3 -readonly db.gpkg 'PRAGMA integrity_check')" = ok ] || fail integrity
    [ "$(sqlite3 -readonly db.gpkg "SELECT group_concat(table_name) FROM (SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index' ORDER BY table_name)")" = borders,lines,places,sites ] ||
        fail "no R-tree spatial index on each geometry table (sites, lines, borders, places)"
    for ix in sites_year_start sites_year_end lines_year_start lines_year_end sites_id; do
        [ "$(sqlite3 -readonly db.gpkg "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '$ix'")" = 1 ] ||
            fail "index $ix missing"
    done
    [ "$(sqlite3 -readonly db.gpkg 'PRAGMA application_id')" = 1196444487 ] ||
        fail "not marked as a GeoPackage" ;;
year_index_plan)
    ATLAS_DEBUG_SQL=1 "$ATLAS" export --db db.gpkg --year 1937 -o /dev/null 2> sql.txt || fail export
    [ "$(grep -c '^atlas: sql: ' sql.txt)" = 2 ] || fail "no SQL shown"
    sed -n 's/^atlas: sql: //p' sql.txt | while read -r sql; do
        sqlite3 -readonly db.gpkg "EXPLAIN QUERY PLAN $sql" > plan.txt
        grep -q 'VIRTUAL TABLE INDEX' plan.txt || { cat plan.txt; exit 1; }
        if grep -Eq 'SCAN t( |$)' plan.txt; then cat plan.txt; exit 1; fi
    done || fail "a year query scans the table" ;;
kinds_bbox)
    [ "$("$ATLAS" export --db db.gpkg --kind camp | jq -r '[.features[].properties.kind] | unique | join(",")')" = camp ] ||
        fail "--kind camp"
    [ "$("$ATLAS" export --db db.gpkg --kind camp,railway | jq '.features | length')" = 4 ] ||
        fail "--kind camp,railway"
    [ "$("$ATLAS" export --db db.gpkg --bbox 140,50,160,65 | jq -r '[.features[].id] | join(",")')" = camp_east,camp_east2 ] ||
        fail "--bbox" ;;
geojsonseq)
    "$ATLAS" export --db db.gpkg --format geojsonseq > seq.txt || fail export
    [ "$(wc -l < seq.txt)" = 7 ] || fail "one line per feature"
    [ "$(jq --seq -c .id seq.txt 2>/dev/null | tr -d '\036' | tr '\n' ' ')" = '"camp_east" "camp_east2" "camp_north" "deport_b" "prison_c" "rail_a" "shot_west" ' ] ||
        fail "records do not parse in id order" ;;
list_json)
    "$ATLAS" list --db db.gpkg --year 1937 --json > l.json || fail list
    [ "$(jq -c '[.[] | select(.id == "camp_north") | .prisoners]' l.json)" = "[4000]" ] ||
        fail "prisoners of 1937"
    [ "$(jq -c '[.[] | select(.id == "camp_east2")]' l.json)" = "[]" ] ||
        fail "camp_east2 is not active in 1937"
    "$ATLAS" list --db db.gpkg --year 1937 > l.txt || fail "list table"
    grep -q '^camp_north  *camp  *1932-1950  *4000 ' l.txt || fail "table row"
    tail -1 l.txt | grep -qx '5 features' || fail "table count" ;;
default_db)
    mkdir proj && cp -r good proj/geodata && cd proj &&
    "$ATLAS" export --year 1937 > x.geojson 2> err.txt || fail "default db"
    grep -qx 'atlas: out/atlas.gpkg does not exist: building it from geodata/' err.txt ||
        fail "did not say it builds the database"
    [ -f out/atlas.gpkg ] || fail "out/atlas.gpkg missing"
    "$ATLAS" export --year 1937 > y.geojson 2> err2.txt && [ ! -s err2.txt ] ||
        fail "second run rebuilt or complained"
    cmp -s x.geojson y.geojson || fail "exports differ" ;;
help_version)
    "$ATLAS" --version | grep -Eq '^atlas [0-9]+\.[0-9]+\.[0-9]+$' || fail version
    for c in load export list; do
        "$ATLAS" $c --help > h.txt || fail "$c --help exit"
        grep -q "^Usage: atlas $c" h.txt || fail "$c --help text"
    done
    "$ATLAS" --help | grep -q '^Usage: atlas COMMAND' || fail "--help"
    "$ATLAS" > /dev/null 2>&1; [ $? = 1 ] || fail "no command must exit 1" ;;
ranges)
    [ "$("$ATLAS" export --db db.gpkg --from 1936 --to 1940 | jq -c '[.features[] | select(.id == "camp_north") | .properties.prisoners]')" = "[5000]" ] ||
        fail "range takes the largest count"
    [ "$("$ATLAS" export --db db.gpkg --year 1950 | jq -r '[.features[].id] | join(",")')" = camp_east2,camp_north,prison_c ] ||
        fail "active in 1950" ;;
*)
    echo "unknown case $CASE"; exit 2 ;;
esac
