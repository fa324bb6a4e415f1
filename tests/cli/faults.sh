#!/bin/sh
# faults.sh ATLAS TESTDATA CASE: a load killed mid-way, a full disk, an
# unwritable output, two writers at once. Nothing may be lost or corrupt.
set -u
ATLAS=$1 DATA=$2 CASE=$3
work=$(mktemp -d)
cleanup() {
    [ -n "${mnt:-}" ] && umount "$mnt" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1
cp -r "$DATA/load" good
fail() { echo "FAIL: $*"; exit 1; }
"$ATLAS" load -q --db db.gpkg good || fail "loading the fixtures"

# N synthetic sites with ids PREFIX0.. as CSV
gen() {
    awk -v n="$1" -v p="$2" 'BEGIN {
        print "id,kind,name_en,name_ru,lon,lat,year_start,year_end"
        for (i = 0; i < n; i++)
            printf "%s%d,camp,Site %d,Лагерь %d,%.4f,%.4f,1930,1950\n",
                p, i, i, i, 20 + (i * 7919 % 16000) / 100.0,
                40 + (i * 104729 % 3500) / 100.0
    }'
}
count() { sqlite3 -readonly db.gpkg "SELECT count(*) FROM sites"; }
intact() { [ "$(sqlite3 -readonly db.gpkg 'PRAGMA integrity_check')" = ok ]; }

case $CASE in
kill_load)
    gen 100000 k > big.csv
    for delay in 0 0.2 0.5; do
        "$ATLAS" load -q --db db.gpkg big.csv 2>/dev/null &
        pid=$!
        # wait until the transaction is open, then kill mid-way
        i=0
        while [ ! -e db.gpkg-journal ] && [ $i -lt 200 ]; do
            sleep 0.05; i=$((i + 1))
        done
        sleep $delay
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
        # a reader sees the database as before the load (or, had the load
        # finished first, complete), never half of it
        n=$("$ATLAS" export --db db.gpkg --kind camp | jq '.features | length') ||
            fail "export after kill (delay $delay)"
        [ "$n" = 3 ] || [ "$n" = 100003 ] ||
            fail "$n camps after a kill (delay $delay): half a load"
        intact || fail "integrity_check after kill (delay $delay)"
        [ "$n" = 3 ] || break
    done
    "$ATLAS" load -q --db db.gpkg big.csv || fail "load after kills"
    [ "$(count)" = 100005 ] || fail "count after the full load: $(count)" ;;
dev_full)
    echo '{"earlier": true}' > keep.geojson
    sh "$(dirname "$0")/expect_error.sh" 2 \
        "/dev/full: cannot write: No space left on device" db.gpkg \
        "$ATLAS" export --db db.gpkg -o /dev/full || exit 1
    [ -z "$(ls -A /dev | grep '^\.full')" ] || fail "temporary file left in /dev" ;;
disk_full)
    mnt=$work/small
    mkdir "$mnt"
    mount -t tmpfs -o size=256k tmpfs "$mnt" 2>/dev/null || {
        mnt=; echo "SKIP: cannot mount a small tmpfs here"; exit 77; }
    gen 20000 d > big.csv
    "$ATLAS" load -q --db db.gpkg big.csv || fail "load"
    echo '{"earlier": true}' > "$mnt/out.geojson"
    "$ATLAS" export --db db.gpkg -o "$mnt/out.geojson" 2> err.txt
    rc=$?
    [ $rc = 2 ] || fail "exit $rc on a full disk"
    grep -qx "atlas: error: $mnt/out.geojson: cannot write: No space left on device" err.txt ||
        fail "message: $(cat err.txt)"
    [ "$(cat "$mnt/out.geojson")" = '{"earlier": true}' ] ||
        fail "the earlier file was damaged"
    [ "$(ls -A "$mnt")" = out.geojson ] || fail "left behind: $(ls -A "$mnt")"
    # a database on a full disk: the load fails whole, the file stays valid
    cp db.gpkg "$mnt/db.gpkg" 2>/dev/null && {
        n0=$(sqlite3 -readonly "$mnt/db.gpkg" 'SELECT count(*) FROM sites')
        gen 20000 e > more.csv
        "$ATLAS" load -q --db "$mnt/db.gpkg" more.csv 2>/dev/null &&
            fail "a load on a full disk succeeded"
        [ "$(sqlite3 -readonly "$mnt/db.gpkg" 'SELECT count(*) FROM sites')" = "$n0" ] ||
            fail "a failed load changed the database"
    }
    true ;;
unwritable_output)
    mkdir ro && echo '{"earlier": true}' > ro/out.geojson && chmod 555 ro
    sh "$(dirname "$0")/expect_error.sh" 2 \
        "ro/out.geojson: cannot write: Permission denied" db.gpkg \
        setpriv --bounding-set=-dac_override,-dac_read_search \
        "$ATLAS" export --db db.gpkg -o ro/out.geojson || exit 1
    [ "$(cat ro/out.geojson)" = '{"earlier": true}' ] ||
        fail "the earlier file was damaged" ;;
concurrent_loads)
    gen 30000 a > a.csv
    gen 30000 b > b.csv
    "$ATLAS" load -q --db db.gpkg a.csv 2> a.err &
    pa=$!
    "$ATLAS" load -q --db db.gpkg b.csv 2> b.err &
    pb=$!
    wait $pa; ra=$?
    wait $pb; rb=$?
    intact || fail "integrity_check after two writers"
    n=$(count)
    for r in "$ra:a" "$rb:b"; do
        case $r in
        0:*) ;;
        2:a) grep -q 'database is busy' a.err || fail "a: $(cat a.err)" ;;
        2:b) grep -q 'database is busy' b.err || fail "b: $(cat b.err)" ;;
        *) fail "exit ${r%%:*}: $(cat a.err b.err)" ;;
        esac
    done
    want=5
    [ $ra = 0 ] && want=$((want + 30000))
    [ $rb = 0 ] && want=$((want + 30000))
    [ "$n" = "$want" ] || fail "$n sites, expected $want" ;;
*)
    echo "unknown case $CASE"; exit 2 ;;
esac
