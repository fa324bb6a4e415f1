#!/bin/sh
# cli.sh ATLAS DIR CASE: atlas render on the fixture in DIR/fixture,
# loaded into a fresh GeoPackage. Exit 0 pass, 1 fail, 77 skip (a tool
# missing). Runs in a temporary folder it removes.
atlas=$1 dir=$2 case=$3
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
no() { echo "FAIL: $*"; fail=1; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "SKIP: no $1"; exit 77; }; }
db=$work/fx.gpkg
"$atlas" load --db "$db" "$dir/fixture" >/dev/null 2>load.txt ||
    { cat load.txt; echo "FAIL: fixture did not load"; exit 1; }
render() { "$atlas" render --db "$db" "$@"; }

# expect MESSAGE ARGS...: exit 1 (or $want_rc), exactly "atlas: error: MESSAGE", no
# out.png left behind, an earlier keep.png untouched.
expect() {
    msg=$1
    shift
    echo old >keep.png
    rm -f out.png
    render "$@" >/dev/null 2>err.txt
    rc=$?
    [ "$rc" = "${want_rc:-1}" ] || no "exit $rc, expected ${want_rc:-1}: $*"
    grep -qxF "atlas: error: $msg" err.txt ||
        no "message: $* gave \"$(cat err.txt)\", expected \"atlas: error: $msg\""
    [ ! -e out.png ] || no "out.png left behind by: $*"
    [ "$(cat keep.png)" = old ] || no "keep.png changed by: $*"
    [ -z "$(ls | grep -v -e '^keep.png$' -e '^err.txt$' -e '^fx.gpkg$' -e '^load.txt$')" ] ||
        no "stray files after: $*: $(ls)"
}

# png_size FILE: "W H" from the IHDR chunk.
png_size() {
    od -An -tu1 -j16 -N8 "$1" | awk '{ print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'
}

case $case in
help)
    "$atlas" render --help >out.txt 2>err.txt || no "--help failed"
    head -1 out.txt | grep -q '^Usage: atlas render' || no "usage on stdout"
    [ ! -s err.txt ] || no "--help wrote to stderr"
    ;;
pdf)
    need pdfinfo
    need pdftotext
    need pdffonts
    render --year 1937 --lang ru --title "Test map 1937" --paper a4 \
        --landscape -o map.pdf || no "render pdf"
    pdfinfo map.pdf >info.txt || no "pdfinfo"
    grep -q '^Page size: *841.89 x 595.276 pts' info.txt ||
        no "A4 landscape page: $(grep 'Page size' info.txt)"
    grep -q '^Title: *Test map 1937' info.txt || no "PDF title metadata"
    grep -q '^CreationDate: .*1970' info.txt ||
        no "CreationDate from SOURCE_DATE_EPOCH: $(grep CreationDate info.txt)"
    pdftotext map.pdf map.txt || no "pdftotext"
    grep -q 'Test map 1937' map.txt || no "title text not selectable"
    render --year 1937 --title "Camps" --subtitle "A line for the class" \
        -o sub.pdf || no "render --subtitle"
    pdftotext sub.pdf - | grep -qx 'A line for the class' || no "--subtitle"
    grep -q 'Воркутлаг' map.txt || no "Cyrillic label not found in the text"
    # 2025-06: --lang ru gave a Russian title over an English legend,
    # size key, scale bar and foot. Every fixed text follows --lang.
    for t in 'Современная граница' 'Заключённые, 1937' ' км' \
        'Границы: Natural Earth' 'Источники: '; do
        grep -q "$t" map.txt || no "not in Russian: '$t'"
    done
    for t in 'Modern border' 'Prisoners' ' km$' 'Borders:' 'Sources:'; do
        grep -q "$t" map.txt && no "left in English: '$t'"
    done
    grep -q 'Natural Earth' map.txt || no "attribution"
    pdffonts map.pdf | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' ||
        no "a font is not embedded: $(pdffonts map.pdf)"
    ;;
svg)
    need xmllint
    render --year 1950 --size 640x480px -o map.svg || no "render svg"
    xmllint --noout map.svg || no "SVG not well-formed"
    head -3 map.svg | grep -q '<svg .*width="480pt" height="360pt"' ||
        no "SVG size: $(head -3 map.svg | grep '<svg')"
    [ "$(grep -c '<path' map.svg)" -gt 20 ] || no "too few paths"
    grep -q '<symbol overflow="visible" id="glyph' map.svg ||
        no "no glyphs: labels missing"
    ;;
years)
    need jq
    render --year 1937 --size 800x600px -o y37.png --debug-labels y37.json ||
        no "render 1937"
    render --year 1950 --size 800x600px -o y50.png --debug-labels y50.json ||
        no "render 1950"
    ids() { jq -r '.placed[].id, .dropped[].id' "$1" | sort; }
    ids y37.json >a.txt
    ids y50.json >b.txt
    only37=$(comm -23 a.txt b.txt | tr '\n' ' ')
    only50=$(comm -13 a.txt b.txt | tr '\n' ' ')
    [ "$only37" = "fx_butovo fx_railway " ] || no "only in 1937: \"$only37\""
    [ "$only50" = "fx_chukotka fx_lviv fx_salekhard fx_steplag " ] ||
        no "only in 1950: \"$only50\""
    # Placed labels do not overlap.
    jq -r '.placed[].bbox | @tsv' y50.json >boxes.txt
    awk '{ x0[NR]=$1; y0[NR]=$2; x1[NR]=$3; y1[NR]=$4 }
         END { for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
                 if (x0[i] < x1[j] && x1[i] > x0[j] && y0[i] < y1[j] && y1[i] > y0[j]) bad = 1
               exit bad }' boxes.txt || no "placed labels overlap"
    ;;
deterministic)
    for ext in png svg; do
        render --year 1950 --size 400x300px -o a.$ext || no "render a.$ext"
        render --year 1950 --size 400x300px -o b.$ext || no "render b.$ext"
        cmp -s a.$ext b.$ext || no "$ext renders differ"
    done
    ;;
bad_options)
    expect "--size: 100000x100000: expected 16..30000 pixels a side and at most 150 megapixels" \
        --year 1937 --size 100000x100000px -o out.png
    expect "--dpi: 100000 is out of range (10..2400)" \
        --year 1937 --dpi 100000 -o out.png
    expect "--dpi: 2400 makes a 39686x28063 pixel image (at most 30000 a side and 150 megapixels)" \
        --year 1937 --dpi 2400 --paper a3 --landscape -o out.png
    expect '--size: "big": expected WxHpx, e.g. 1200x800px' \
        --year 1937 --size big -o out.png
    expect '--extent: "mars": expected ussr, west, north or kolyma' \
        --year 1937 --extent mars -o out.png
    expect '--lang: "xx": expected en, ru, uk, pl, lt, lv, et or de' \
        --year 1937 --lang xx -o out.png
    expect '--format: "gif": expected png, svg or pdf' \
        --year 1937 --format gif -o out.png
    expect '--paper: "b7": expected a4, a3, a5, letter, legal, tabloid or WxHmm' \
        --year 1937 --paper b7 -o out.png
    expect 'render: -o FILE is required (see atlas render --help)' --year 1937
    expect 'render: --year Y or --from Y1 --to Y2 is required' -o out.png
    expect '--year cannot go with --from/--to' \
        --year 1937 --from 1930 --to 1940 -o out.png
    expect 'out.gif: unknown output format (expected .png, .svg or .pdf, or --format)' \
        --year 1937 -o out.gif
    expect 'render: unknown option "--bogus" (see atlas render --help)' \
        --year 1937 --bogus -o out.png
    expect '--extent cannot go with --bbox' \
        --year 1937 --extent west --bbox 20,40,30,50 -o out.png
    want_rc=2 expect 'nope.json: No such file or directory' \
        --year 1937 --style nope.json -o out.png
    # A PROJ failure, after the store was read: PROJ's words follow.
    echo old >keep.png
    render --year 1937 --proj +proj=nonsense -o keep.png 2>err.txt
    rc=$?
    [ "$rc" = 1 ] || no "bad --proj: exit $rc"
    grep -q '^atlas: error: --proj: "+proj=nonsense": not a CRS PROJ knows' err.txt ||
        no "bad --proj message: $(cat err.txt)"
    [ "$(cat keep.png)" = old ] || no "keep.png replaced by a failed render"
    ;;
line_labels)
    # 2025: prisoner-built lines carry their name once (sites first);
    # deportation flows none
    command -v jq >/dev/null 2>&1 || { echo "SKIP: no jq"; exit 77; }
    render --year 1950 --extent north --debug-labels l.json -o l.png ||
        no "render"
    [ "$(jq '[.placed[] | select(.id == "fx_salekhard")] | length' l.json)" = 1 ] ||
        no "fx_salekhard not labelled once: $(cat l.json)"
    jq -e '[.placed[] | select(.id == "fx_salekhard") | .text] ==
           ["Test Trans-Polar line"]' l.json >/dev/null || no "text: $(cat l.json)"
    ;;
defaults)
    render --year 1937 -o d.png || no "defaults"
    [ "$(png_size d.png)" = "1754 1241" ] || no "default size: $(png_size d.png)"
    render --year 1937 --size 300x200px -o s.png || no "--size"
    [ "$(png_size s.png)" = "300 200" ] || no "--size: $(png_size s.png)"
    render --year 1937 --paper a4 --dpi 50 -o p.png || no "--paper a4 --dpi"
    [ "$(png_size p.png)" = "414 585" ] || no "a4 at 50 dpi: $(png_size p.png)"
    for e in ussr west north kolyma; do
        render --from 1930 --to 1955 --extent $e --size 400x300px -o e_$e.png ||
            no "--extent $e"
    done
    render --year 1950 --bbox 100,40,180,75 --size 400x300px -o bb.png || no "--bbox"
    render --year 1950 --proj EPSG:3576 --size 400x300px -o ep.png || no "--proj EPSG"
    render --year 1950 --kind camp,prison --no-legend --no-graticule --no-scale \
        --no-labels --no-attribution --size 400x300px -o k.png || no "toggles"
    render --year 1950 --format pdf -o noext.map || no "--format pdf"
    head -c 5 noext.map | grep -q '%PDF-' || no "--format pdf wrote no PDF"
    ;;
legend_below)
    # 2025-07: on the handout's page 1 the legend covered the western USSR
    # and the page's lower third stayed empty: it goes under the frame,
    # in columns, inside the page (A4 and Letter portrait in CSS px), and
    # no number sits on it or on a line drawn
    command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
    # (page 1 of a wide map is landscape: its size from the PDF, in px)
    need pdfinfo
    for a in "--paper a4" "--paper letter" "--extent west --lang uk" \
             "--extent north --lang uk --paper letter"; do
        # shellcheck disable=SC2086
        "$atlas" handout --db "$db" --year 1950 $a --debug-labels h.json \
            -o h.pdf || no "handout $a"
        size=$(pdfinfo -f 1 -l 1 h.pdf |
               awk '/^Page +1 size:/ { print $4 / 0.75, $6 / 0.75 }')
        # shellcheck disable=SC2086
        python3 "$dir/check_labels.py" h.json $size legend ||
            no "handout $a: labels or legend"
    done
    ;;
line_obstacles)
    # 2025-07: names sat on the railways they named: no placed label's
    # box is crossed by a line drawn
    command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
    for ext in north ussr; do
        render --year 1950 --extent $ext --debug-labels l.json -o l.png ||
            no "render $ext"
        [ "$(jq '.line_segments | length' l.json)" -gt 0 ] ||
            no "$ext: no line segments"
        python3 "$dir/check_labels.py" l.json 0 0 || no "$ext: labels on lines"
    done
    ;;
kept)
    # 2026-12: on the 1937 map 18 of 50 names were dropped, Dmitlag (the
    # year's largest camp), Butovo and Kommunarka among them, while a
    # camp of 2,159 kept its name. A cluster too dense for its names at
    # the map's scale: the significant ones and the ten largest camps
    # are named all the same (with leaders), the others may be dropped,
    # each with its reason.
    need jq
    need python3
    "$atlas" load --db cr.gpkg "$dir/crowd" >/dev/null 2>load.txt ||
        { cat load.txt; no "crowd fixture did not load"; }
    "$atlas" render --db cr.gpkg --year 1937 --debug-labels k.json -o k.png ||
        no "render"
    "$atlas" export --db cr.gpkg --year 1937 >k.geojson || no "export"
    python3 "$dir/check_kept.py" k.json k.geojson || no "names dropped"
    [ "$(jq '[.placed[] | select(.keep == "significant")] | length' k.json)" = 5 ] ||
        no "significant names: $(jq -c '[.placed[] | select(.keep)]' k.json)"
    [ "$(jq '[.dropped[] | select(.reason == null)] | length' k.json)" = 0 ] ||
        no "a drop without its reason"
    [ "$(jq '.dropped | length' k.json)" -gt 0 ] ||
        no "nothing dropped: the fixture is not crowded"
    # a name placed away from its site has a leader to it
    [ "$(jq '[.placed[] | select(.fallback == "leader" and .leader == null)] | length' k.json)" = 0 ] ||
        no "a leader missing"
    # placed names do not overlap one another
    jq -r '.placed[].bbox | @tsv' k.json >boxes.txt
    awk '{ x0[NR]=$1; y0[NR]=$2; x1[NR]=$3; y1[NR]=$4 }
         END { for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
                 if (x0[i] < x1[j] && x1[i] > x0[j] && y0[i] < y1[j] && y1[i] > y0[j]) bad = 1
               exit bad }' boxes.txt || no "placed labels overlap"
    ;;
kept_geodata)
    # the same on the default USSR maps of the dataset
    need jq
    need python3
    "$atlas" load --db geo.gpkg "$dir/../../geodata" >/dev/null 2>load.txt ||
        { cat load.txt; no "geodata did not load"; }
    for y in 1937 1941 1953; do
        "$atlas" render --db geo.gpkg --year $y --debug-labels g$y.json \
            -o g$y.png || no "render $y"
        "$atlas" export --db geo.gpkg --year $y >g$y.geojson || no "export $y"
        python3 "$dir/check_kept.py" g$y.json g$y.geojson || no "$y: names dropped"
    done
    ;;
legend_visible)
    # 2026-12: the legend listed what the query returned, not what is in
    # the frame: a 1943 map of the west listed a deportation route that
    # only passed near it. Its entries are the layers that drew a feature
    # showing in the frame; the precision is three swatches, not a note
    need jq
    "$atlas" load --db geo.gpkg "$dir/../../geodata" >/dev/null 2>load.txt ||
        { cat load.txt; no "geodata did not load"; }
    "$atlas" render --db geo.gpkg --year 1943 --extent west \
        --debug-labels w.json -o w.pdf || no "render west 1943"
    jq -e '.legend.entries | index("camps") != null' w.json >/dev/null ||
        no "no camps entry: $(jq -c .legend.entries w.json)"
    for e in deportations special-settlements canals roads uprisings; do
        jq -e --arg e "$e" '.legend.entries | index($e) == null' w.json \
            >/dev/null || no "west 1943 lists $e, which it does not show"
    done
    pdftotext w.pdf - | tr '\n' ' ' > w.txt
    for t in 'the exact site' 'the town or village' 'the approximate area'; do
        grep -q "$t" w.txt || no "no precision swatch \"$t\""
    done
    # the whole USSR of 1937 shows deportations: listed there
    "$atlas" render --db geo.gpkg --year 1937 --debug-labels u.json -o u.png ||
        no "render 1937"
    jq -e '.legend.entries | index("deportations") != null' u.json >/dev/null ||
        no "1937 does not list its deportations: $(jq -c .legend.entries u.json)"
    # and it covers no feature (2026-12: in 1944 it hid the Chechen,
    # Crimean and Meskhetian deportations): a corner, else a place along
    # an edge, that hides none
    for y in 1937 1941 1944 1953; do
        "$atlas" render --db geo.gpkg --year $y --debug-labels h.json \
            -o h.png || no "render $y"
        [ "$(jq -c .legend.hides h.json)" = "[]" ] ||
            no "$y: the legend hides $(jq -c .legend.hides h.json)"
    done
    ;;
flows)
    # 2026-12: deportations were thin dashed lines without direction or
    # size. Each part ends in an arrowhead at its destination (an open
    # chevron: a filled triangle reads as a transit camp in black and
    # white), where a line drawn ends
    need jq
    "$atlas" load --db geo.gpkg "$dir/../../geodata" >/dev/null 2>load.txt ||
        { cat load.txt; no "geodata did not load"; }
    "$atlas" render --db geo.gpkg --year 1944 --debug-labels f.json -o f.png ||
        no "render 1944"
    for d in deportation_chechens_ingush_1944 deportation_crimean_tatars_1944 \
             deportation_meskhetians_1944; do
        jq -e --arg d "$d" '[.flows[] | select(.id == $d) | .tips[]] | length > 0' \
            f.json >/dev/null || no "$d has no arrowhead"
    done
    # every tip at the end of a segment drawn, its back on the line
    jq -r '.line_segments as $s | .flows[] | .id as $id | .tips[] | . as $t |
           select([$s[] | select((((.[2] - $t[0]) | fabs) < 0.6 and
                                  ((.[3] - $t[1]) | fabs) < 0.6) or
                                 (((.[0] - $t[0]) | fabs) < 0.6 and
                                  ((.[1] - $t[1]) | fabs) < 0.6))] | length == 0) |
           "\($id): tip \($t) is no end of a line drawn"' f.json > bad.txt
    [ ! -s bad.txt ] || no "$(cat bad.txt)"
    ;;
graticule)
    # 2026-12: the graticule drew no meridian and only some parallels (a
    # cairo_new_path() before each edge label threw the lines away), and
    # its labels hung on nothing or sat under the legend and scale bar.
    # Everything but the graticule off: meridians and parallels every 10
    # degrees (5 on a regional preset), each label on its own line where
    # it meets the frame; with everything on, under nothing
    need jq
    need python3
    off="--no-legend --no-scale --no-labels --no-attribution"
    # shellcheck disable=SC2086
    render --year 1937 $off --debug-labels g.json -o g.png || no "render"
    python3 "$dir/check_graticule.py" g.json 5 3 || no "ussr graticule"
    # and the lines are drawn: the graticule's one path has a piece for
    # each meridian and parallel in the frame
    # shellcheck disable=SC2086
    render --year 1937 $off -o g.svg || no "render svg"
    n=$(grep 'stroke:rgb(30%,35%,45%);stroke-opacity:0.45' g.svg |
        grep -o ' d="[^"]*"' | grep -o M | wc -l)
    [ "$n" -ge 20 ] || no "graticule lines stroked: $n pieces"
    [ "$(jq '[.graticule[] | select(.line == "meridian")] | length' g.json)" = 36 ] ||
        no "not every 10 degrees: $(jq -c '[.graticule[].text]' g.json)"
    # shellcheck disable=SC2086
    render --year 1937 --extent west $off --debug-labels w.json -o w.png ||
        no "render west"
    python3 "$dir/check_graticule.py" w.json 3 3 || no "west graticule"
    [ "$(jq '[.graticule[] | select(.line == "meridian")] | length' w.json)" = 72 ] ||
        no "west: not every 5 degrees"
    for e in ussr west north kolyma; do
        render --year 1950 --extent $e --debug-labels a.json -o a.png ||
            no "render $e"
        python3 "$dir/check_graticule.py" a.json 2 2 || no "$e: with everything on"
    done
    ;;
*)
    no "unknown case $case"
    ;;
esac
exit $fail
