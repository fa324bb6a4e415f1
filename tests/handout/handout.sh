#!/bin/sh
# handout.sh ATLAS SRCDIR CASE: the handout and series tests (CTest).
# Exit 0 pass, 77 skip (a tool missing), anything else fails.
atlas=$1 src=$2 case=$3
data=$src/tests/data/load
for tool in pdfinfo pdftotext pdffonts jq; do
    command -v $tool >/dev/null 2>&1 || { echo "SKIP: no $tool"; exit 77; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/atlas-handout.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
export SOURCE_DATE_EPOCH=1700000000

fail() { echo "FAIL: $*"; exit 1; }
fixture() {
    "$atlas" load --db fx.gpkg "$data" >/dev/null 2>&1 || fail "load fixture"
}
# pages FILE: the page count
pages() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
size() { pdfinfo "$1" | sed -n 's/^Page size: *\([0-9.]* x [0-9.]*\) pts.*/\1/p' | sort -u; }
# page_size FILE N: the size of page N
page_size() {
    pdfinfo -f "$2" -l "$2" "$1" |
        sed -n "s/^Page *$2 size: *\([0-9.]* x [0-9.]*\) pts.*/\1/p"
}
# map_text PDF: the words on page 1 above the caption ("Shown: ..."), one
# a line: the map's numbers and furniture, without the table that may
# follow the caption on that page
map_text() {
    pdftotext -l 1 -bbox "$1" - | awk '
        /<word / {
            y = $0; sub(/.*yMin="/, "", y); sub(/".*/, "", y)
            w = $0; sub(/.*">/, "", w); sub(/<\/word>.*/, "", w)
            if (w == "Shown:" && cap == "") cap = y
            ys[n] = y + 0; ws[n++] = w
        }
        END { for (i = 0; i < n; i++) if (cap == "" || ys[i] < cap + 0) print ws[i] }'
}
# expect_error RC MESSAGE OUTFILE COMMAND...: exact message, exit code, and
# neither OUTFILE nor a temporary file beside it left behind
expect_error() {
    want_rc=$1 want_msg=$2 outf=$3
    shift 3
    "$@" >/dev/null 2>err.txt
    rc=$?
    [ "$rc" = "$want_rc" ] || fail "exit $rc, expected $want_rc: $*"
    grep -qxF "atlas: error: $want_msg" err.txt ||
        fail "message: expected 'atlas: error: $want_msg', got '$(cat err.txt)'"
    [ ! -e "$outf" ] || fail "$outf was written"
    ls -a | grep -q '\.tmp[0-9]' && fail "temporary file left: $(ls -a)"
    return 0
}

case $case in
handout_a4)
    fixture
    "$atlas" handout --db fx.gpkg --year 1937 -o h.pdf || fail "handout"
    # 2026-12: the whole USSR is wide: page 1 is landscape, all map,
    # legend and caption; the table and the sources follow upright on
    # page 2
    [ "$(pages h.pdf)" = 2 ] || fail "pages: $(pages h.pdf)"
    pdftotext -f 2 -l 2 h.pdf p2.txt
    grep -q '^Sites and lines on the map$' p2.txt || fail "no table on page 2"
    grep -q '^Sources$' p2.txt || fail "no sources on page 2"
    [ "$(page_size h.pdf 1)" = "841.89 x 595.276" ] ||
        fail "page 1: $(page_size h.pdf 1)"
    [ "$(page_size h.pdf 2)" = "595.276 x 841.89" ] ||
        fail "page 2: $(page_size h.pdf 2)"
    pdftotext -l 1 h.pdf - | tr '\n' ' ' | grep -q 'on the following pages' ||
        fail "the caption does not point to the next pages"
    # a map of the western borderlands is tall, on an upright page 1;
    # the caption points to where the table starts (2025: the table began
    # on page 2 under a half-empty page 1; it starts under the caption
    # when the page has room for its heading and two rows)
    "$atlas" handout --db fx.gpkg --year 1941 --extent west -o w.pdf ||
        fail "handout west"
    [ "$(page_size w.pdf 1)" = "595.276 x 841.89" ] ||
        fail "west page 1: $(page_size w.pdf 1)"
    if pdftotext -l 1 w.pdf - | grep -q '^Sites and lines on the map$'; then
        pdftotext -l 1 w.pdf - | tr '\n' ' ' | grep -q 'refer to the table below' ||
            fail "west: the caption does not point below"
    else
        pdftotext -l 1 w.pdf - | tr '\n' ' ' | grep -q 'on the following pages' ||
            fail "west: the caption does not point to the next pages"
    fi
    # every font embedded
    pdffonts h.pdf | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' ||
        fail "a font is not embedded: $(pdffonts h.pdf)"
    pdfinfo h.pdf | grep -q '^Title: *Soviet repression sites in the USSR, 1937$' ||
        fail "title metadata: $(pdfinfo h.pdf | grep Title)"
    pdftotext -l 1 h.pdf - | tr '\n' ' ' | grep -q 'Natural Earth' || fail "caption"
    ;;
handout_letter)
    fixture
    "$atlas" handout --db fx.gpkg --from 1937 --to 1941 --paper letter \
        -o h.pdf || fail "handout"
    [ "$(page_size h.pdf 1)" = "792 x 612" ] || fail "page 1: $(page_size h.pdf 1)"
    [ "$(page_size h.pdf 2)" = "612 x 792" ] || fail "page 2: $(page_size h.pdf 2)"
    ;;
handout_table)
    # the table lists exactly the features of the selection, numbered as
    # on the map: sites in reading order (2-degree bands north to south,
    # west to east), then lines
    fixture
    "$atlas" handout --db fx.gpkg --year 1937 --debug-numbers num.txt \
        -o h.pdf || fail "handout"
    "$atlas" export --db fx.gpkg --year 1937 > sel.geojson || fail export
    jq -r '.features[].properties.id' sel.geojson | sort > want.txt
    cut -f2 num.txt | sort > got.txt
    cmp -s want.txt got.txt || fail "numbered $(cat got.txt) vs selected $(cat want.txt)"
    jq -r '[.features[] | select(.geometry.type == "Point") |
            {id: .properties.id, band: ((.geometry.coordinates[1] / 2) | floor),
             lon: .geometry.coordinates[0]}] |
           sort_by(-.band, .lon, .id) | .[].id' sel.geojson > order.txt
    n_sites=$(wc -l < order.txt)
    head -n "$n_sites" num.txt | cut -f2 > got_order.txt
    cmp -s order.txt got_order.txt || fail "reading order: $(cat got_order.txt)"
    # each table row: its number then the English name of that feature
    # (on page 1 under the caption or on the next pages)
    pdftotext -layout h.pdf table.txt
    while IFS="$(printf '\t')" read -r n id; do
        name=$(jq -r --arg id "$id" '.features[] | select(.properties.id == $id) |
                .properties.name_en' sel.geojson)
        re=$(printf '%s' "$name" | sed 's/[][().*+?^$|\\{}]/\\&/g')
        grep -Eq "^ *$n +$re( |$)" table.txt || fail "row $n is not $name"
    done < num.txt
    # and the numbers are text on the map page
    # (marks are glyphs too: a number beside a prison's square reads
    # "■3")
    map_text h.pdf | sed 's/[■✖▲◆★◌]/ /g' | tr -s ' ' '\n' > map.txt
    while IFS="$(printf '\t')" read -r n id; do
        grep -qx "$n" map.txt || fail "number $n not on the map"
    done < num.txt
    # the sources cited, and only those
    pdftotext h.pdf all.txt
    grep -q 'A Reference Book' all.txt && grep -q 'Another Source' all.txt ||
        fail "sources missing"
    ;;
handout_kind)
    fixture
    "$atlas" handout --db fx.gpkg --year 1937 --kind prison \
        --debug-numbers num.txt -o h.pdf || fail "handout"
    [ "$(cut -f2 num.txt)" = prison_c ] || fail "listed $(cat num.txt)"
    pdftotext h.pdf all.txt
    grep -q 'Another Source' all.txt || fail "prison_c's source missing"
    grep -q 'A Reference Book' all.txt && fail "uncited source listed"
    pdftotext -l 1 h.pdf - | tr '\n' ' ' | grep -q 'Shown: prisons, active in 1937' ||
        fail "caption: $(pdftotext -l 1 h.pdf -)"
    ;;
handout_edge)
    # 2025: a preset's frame shows more than its box; a site just outside
    # the box but inside the frame was missing from map and table. Now
    # drawn and listed, a site outside the frame neither, in series too.
    mkdir edge
    printf '%s\n' \
        'id,kind,name_en,name_ru,name_local,local_lang,region,location_precision,year_start,year_end,description,sources,lon,lat' \
        'edge_inside,camp,Inside camp,,,,,exact,1937,1940,In the box.,e_src,30.0,53.0' \
        'edge_frame,prison,Edge prison,,,,,exact,1937,1940,Beyond the box in the frame.,e_src,37.9,54.0' \
        'edge_far,prison,Far prison,,,,,exact,1937,1940,Beyond the frame.,e_src,60.6,56.8' \
        > edge/sites.csv
    printf 'id,citation,url\ne_src,Edge source.,\n' > edge/sources.csv
    "$atlas" load --db e.gpkg edge >/dev/null 2>&1 || fail "load edge"
    "$atlas" handout --db e.gpkg --year 1937 --extent west \
        --debug-numbers num.txt --debug-labels lab.json -o h.pdf || fail "handout"
    [ "$(cut -f2 num.txt | sort | tr '\n' ' ')" = "edge_frame edge_inside " ] ||
        fail "listed: $(cat num.txt)"
    [ "$(jq -r '[.placed[].id] | sort | join(" ")' lab.json)" = \
        "edge_frame edge_inside" ] || fail "numbers on the map: $(cat lab.json)"
    pdftotext h.pdf t.txt
    grep -q 'Edge prison' t.txt || fail "edge_frame not in the table"
    grep -q 'Far prison' t.txt && fail "edge_far in the table"
    for p in a4 letter; do
        "$atlas" handout --db e.gpkg --year 1937 --extent west --paper $p \
            --debug-numbers n2.txt -o h2.pdf || fail "handout $p"
        cmp -s num.txt n2.txt || fail "$p lists $(cat n2.txt)"
    done
    ;;
handout_same)
    fixture
    "$atlas" handout --db fx.gpkg --year 1937 -o a.pdf || fail handout
    "$atlas" handout --db fx.gpkg --year 1937 -o b.pdf || fail handout
    cmp -s a.pdf b.pdf || fail "two runs differ"
    pdfinfo a.pdf | grep -q 'CreationDate:.*2023' || fail "SOURCE_DATE_EPOCH ignored"
    ;;
handout_lang)
    fixture
    for l in ru uk pl; do
        "$atlas" handout --db fx.gpkg --year 1937 --lang $l -o $l.pdf ||
            fail "handout $l"
        pdftotext $l.pdf $l.txt
    done
    grep -q 'Объекты на карте' ru.txt || fail ru
    grep -q 'Северный лагерь' ru.txt || fail "ru names"
    grep -q 'Об.єкти на карті' uk.txt || fail uk
    grep -q 'Obiekty na mapie' pl.txt || fail pl
    grep -q 'Źródła' pl.txt || fail "pl sources heading"
    # legend labels translated too
    grep -q 'Современная граница' ru.txt || fail "ru legend"
    ;;
handout_errors)
    fixture
    expect_error 1 '--lang: "xx": no such language (one of de, en, et, lt, lv, pl, ru, uk)' \
        h.pdf "$atlas" handout --db fx.gpkg --year 1937 --lang xx -o h.pdf
    expect_error 1 '--paper: "a3": expected a4 or letter' h.pdf \
        "$atlas" handout --db fx.gpkg --year 1937 --paper a3 -o h.pdf
    expect_error 1 '-o: "h.png": a handout is a PDF (FILE.pdf)' h.png \
        "$atlas" handout --db fx.gpkg --year 1937 -o h.png
    expect_error 1 'handout: --year or --from/--to is required' h.pdf \
        "$atlas" handout --db fx.gpkg -o h.pdf
    expect_error 1 'handout: -o FILE.pdf is required' h.pdf \
        "$atlas" handout --db fx.gpkg --year 1937
    expect_error 1 '--style cannot go with --color' h.pdf \
        "$atlas" handout --db fx.gpkg --year 1937 --style print-bw --color -o h.pdf
    expect_error 1 '--extent: "mars": expected ussr, west, north or kolyma' \
        h.pdf "$atlas" handout --db fx.gpkg --year 1937 --extent mars -o h.pdf
    expect_error 1 '--year cannot go with --from/--to' h.pdf \
        "$atlas" handout --db fx.gpkg --year 1937 --from 1930 --to 1940 -o h.pdf
    expect_error 2 'nodir/h.pdf: cannot write: No such file or directory' \
        nodir/h.pdf "$atlas" handout --db fx.gpkg --year 1937 -o nodir/h.pdf
    ;;
series_pages)
    fixture
    "$atlas" series --db fx.gpkg --from 1935 --to 1940 -o s.pdf || fail series
    [ "$(pages s.pdf)" = 6 ] || fail "pages: $(pages s.pdf)"
    [ "$(size s.pdf)" = "841.89 x 595.276" ] || fail "size: $(size s.pdf)"
    "$atlas" series --db fx.gpkg --from 1935 --to 1940 --summary -o s.pdf ||
        fail series
    [ "$(pages s.pdf)" = 7 ] || fail "pages with summary: $(pages s.pdf)"
    "$atlas" series --db fx.gpkg --from 1930 --to 1940 --step 5 -o s.pdf ||
        fail series
    [ "$(pages s.pdf)" = 3 ] || fail "pages with --step 5: $(pages s.pdf)"
    # text stays text after the pages are replayed
    pdftotext -f 3 -l 3 s.pdf - | grep -q '^1940' || fail "year not text"
    pdftotext -f 3 -l 3 s.pdf - | grep -q 'North Camp' || fail "label not text"
    ;;
series_jobs)
    fixture
    "$atlas" series --db fx.gpkg --from 1935 --to 1942 --summary --jobs 1 \
        -o j1.pdf || fail series
    "$atlas" series --db fx.gpkg --from 1935 --to 1942 --summary --jobs 2 \
        -o j2.pdf || fail series
    "$atlas" series --db fx.gpkg --from 1935 --to 1942 --summary --jobs 5 \
        -o j5.pdf || fail series
    cmp -s j1.pdf j2.pdf || fail "--jobs 1 and --jobs 2 differ"
    cmp -s j1.pdf j5.pdf || fail "--jobs 1 and --jobs 5 differ"
    ;;
series_files)
    fixture
    mkdir d1 d2
    "$atlas" series --db fx.gpkg --from 1936 --to 1939 --summary --jobs 1 \
        -o 'd1/%Y.png' || fail series
    "$atlas" series --db fx.gpkg --from 1936 --to 1939 --summary --jobs 2 \
        -o 'd2/%Y.png' || fail series
    [ "$(ls d1 | tr '\n' ' ')" = "1936.png 1937.png 1938.png 1939.png summary.png " ] ||
        fail "files: $(ls -a d1)"
    for f in d1/*; do cmp -s "$f" "d2/${f#d1/}" || fail "$f differs"; done
    file d1/1937.png | grep -q 'PNG image data, 1754 x 1241' ||
        fail "$(file d1/1937.png)"
    "$atlas" series --db fx.gpkg --from 1936 --to 1937 -o 'y%Y.svg' || fail svg
    grep -q '<svg' y1937.svg || fail "not SVG"
    "$atlas" series --db fx.gpkg --from 1936 --to 1937 -o 'y%Y.pdf' || fail pdf
    [ "$(pages y1936.pdf)" = 1 ] || fail "one page a file"
    ;;
series_progress)
    command -v script >/dev/null 2>&1 || { echo "SKIP: no script"; exit 77; }
    fixture
    # a terminal (script gives one): the bar; a pipe or --quiet: silence
    script -qc "'$atlas' series --db fx.gpkg --from 1935 --to 1938 -o t.pdf" \
        /dev/null > tty.txt 2>&1 < /dev/null
    grep -q 'series \[#*\]* *4/4 pages' tty.txt || fail "no bar: $(cat tty.txt)"
    "$atlas" series --db fx.gpkg --from 1935 --to 1938 -o p.pdf 2> pipe.txt ||
        fail series
    grep -q "series \[" pipe.txt && fail "bar on a pipe: $(cat pipe.txt)"
    script -qc "'$atlas' series --quiet --db fx.gpkg --from 1935 --to 1938 -o q.pdf" \
        /dev/null > quiet.txt 2>&1 < /dev/null
    grep -q 'pages' quiet.txt && fail "--quiet: $(cat quiet.txt)"
    [ -s q.pdf ] || fail "--quiet wrote nothing"
    ;;
series_errors)
    fixture
    expect_error 1 '-o: "s.png": expected FILE.pdf, or a pattern with one %Y and .png, .svg or .pdf (out/%Y.png)' \
        s.png "$atlas" series --db fx.gpkg --from 1935 --to 1936 -o s.png
    expect_error 1 '--jobs: 0 is out of range (1..256)' s.pdf \
        "$atlas" series --db fx.gpkg --from 1935 --to 1936 --jobs 0 -o s.pdf
    expect_error 1 '--from and --to go together' s.pdf \
        "$atlas" series --db fx.gpkg --from 1935 -o s.pdf
    expect_error 1 'series: --from and --to are required' s.pdf \
        "$atlas" series --db fx.gpkg -o s.pdf
    expect_error 1 '--from 1940 is after --to 1935' s.pdf \
        "$atlas" series --db fx.gpkg --from 1940 --to 1935 -o s.pdf
    expect_error 1 '--lang: "fr": no such language (one of de, en, et, lt, lv, pl, ru, uk)' \
        s.pdf "$atlas" series --db fx.gpkg --from 1935 --to 1936 --lang fr -o s.pdf
    ;;
geodata_smoke)
    # the real dataset: one handout and its table against the export
    "$atlas" load --db geo.gpkg "$src/geodata" >/dev/null 2>&1 || fail "load geodata"
    "$atlas" handout --db geo.gpkg --year 1937 --debug-numbers num.txt \
        --debug-labels lab.json -o h.pdf || fail handout
    # 2025-06: crowded numbers were dropped, so the table listed features
    # the map did not show. Every number is on the map page, as text and
    # among the placed labels (those away from their site say so).
    map_text h.pdf | sed 's/[■✖▲◆★◌]/ /g' | tr -s ' ' '\n' > map.txt
    jq -r '.placed[].text' lab.json | sort -n > placed.txt
    [ "$(jq '.dropped | length' lab.json)" = 0 ] ||
        fail "numbers dropped: $(jq -c .dropped lab.json)"
    while IFS="$(printf '\t')" read -r n id; do
        grep -qx "$n" map.txt || fail "number $n ($id) not on the map"
        grep -qx "$n" placed.txt || fail "number $n ($id) not placed"
    done < num.txt
    # 2025-07: in the crowded west (Moscow, Leningrad, Karelia) leaders
    # ran through other numbers and far from their sites. Now each is
    # shorter than 12% of the frame's diagonal, and crosses no other
    # leader and no other number.
    jq -r -f "$src/tests/render/leaders.jq" lab.json > leaders.txt ||
        fail "jq leaders"
    [ ! -s leaders.txt ] || fail "leaders: $(cat leaders.txt)"
    n=$("$atlas" export --db geo.gpkg --year 1937 | jq '.features | length')
    [ "$(wc -l < num.txt)" = "$n" ] || fail "table $(wc -l < num.txt) rows, export $n"
    pdftotext -layout h.pdf t.txt
    last=$(tail -n 1 num.txt | cut -f1)
    grep -Eq "^ *$last +[^ ]" t.txt || fail "row $last missing"
    # the whole USSR is wide: a landscape page 1 for the map; the table
    # starts on page 2 with its rows, and goes on with its heading
    # repeated
    for p in a4 letter; do
        "$atlas" handout --db geo.gpkg --year 1937 --paper $p -o u.pdf ||
            fail "handout $p"
        pdftotext -f 2 -l 2 -layout u.pdf p2.txt
        grep -q '^ *Sites and lines on the map *$' p2.txt ||
            fail "$p: the table does not start on page 2"
        grep -Eq '^ *1 +[^ ]' p2.txt && grep -Eq '^ *2 +[^ ]' p2.txt ||
            fail "$p: page 2 has fewer than two rows"
        pdftotext -f 3 -l 3 u.pdf - | head -n 1 |
            grep -q '^Sites and lines on the map (continued)$' ||
            fail "$p: page 3 does not go on with the table"
    done
    "$atlas" handout --db geo.gpkg --year 1941 --extent west --lang uk \
        -o w.pdf || fail "west uk"
    ;;
series_legend)
    # 2026-12: the legend changed its entries, swatch sizes and size-key
    # values from page to page. One legend for the whole series: the same
    # entries and the same size key on every page of 1930-1953
    "$atlas" load --db geo.gpkg "$src/geodata" >/dev/null 2>&1 || fail "load geodata"
    "$atlas" series --db geo.gpkg --from 1930 --to 1953 -o s.pdf || fail series
    [ "$(pages s.pdf)" = 24 ] || fail "pages: $(pages s.pdf)"
    jq -r '.layers[] | .metadata["atlas:legend"] // empty' \
        "$src/styles/default.json" > labels.txt
    printf '%s\n' 'the exact site' 'the town or village' 'the approximate area' \
        >> labels.txt
    for p in $(seq 1 24); do
        pdftotext -f $p -l $p s.pdf - > p.txt
        { grep -xF -f labels.txt p.txt | sort -u
          grep -xE '[0-9]{1,3}(,[0-9]{3})+' p.txt | sort -u; } > legend_$p.txt
        [ -s legend_$p.txt ] || fail "page $p: no legend"
        cmp -s legend_1.txt legend_$p.txt ||
            fail "page $p's legend differs from page 1's: $(diff legend_1.txt legend_$p.txt | tr '\n' ' ')"
    done
    grep -q 'Camp (prisoners in the year)' legend_1.txt || fail "no camps entry"
    [ "$(grep -cE '^[0-9,]+$' legend_1.txt)" -ge 2 ] ||
        fail "size key: $(cat legend_1.txt)"
    # --title and --subtitle
    "$atlas" series --db geo.gpkg --from 1937 --to 1938 --extent west \
        -o t.pdf || fail "series west"
    pdftotext -f 1 -l 1 t.pdf - | tr '\n' ' ' |
        grep -q 'Soviet repression sites in the western borderlands, 1937–1938' ||
        fail "west series title: $(pdftotext -f 1 -l 1 t.pdf - | head -3)"
    "$atlas" series --db geo.gpkg --from 1937 --to 1938 --title "Two years" \
        --subtitle "class 9b" -o t.pdf || fail "series --title"
    pdftotext -f 1 -l 1 t.pdf - | tr '\n' ' ' | grep -q 'Two years — class 9b' ||
        fail "series --title: $(pdftotext -f 1 -l 1 t.pdf - | head -3)"
    ;;
handout_title)
    # 2026-12: the title never named the region, there was no --title,
    # and the table's "Location" column held the precision, which a
    # pupil reads as the place. The title names the preset's region and
    # the years (in the reader's language); --title and --subtitle set
    # them; the table has "Location precision" and "Place (today)", the
    # region of today and its country from the ISO code
    fixture
    "$atlas" handout --db fx.gpkg --year 1941 --extent west -o w.pdf ||
        fail "handout west"
    pdftotext -l 1 w.pdf - | tr '\n' ' ' |
        grep -q 'Soviet repression sites in the western borderlands, 1941' ||
        fail "west title: $(pdftotext -l 1 w.pdf - | head -3)"
    pdfinfo w.pdf | grep -q '^Title: *Soviet repression sites in the western borderlands, 1941$' ||
        fail "west title metadata"
    "$atlas" handout --db fx.gpkg --from 1937 --to 1941 --extent north \
        --lang ru -o n.pdf || fail "handout north ru"
    pdftotext -l 1 n.pdf - | tr '\n' ' ' |
        grep -q 'Места советских репрессий: Европейский Север, 1937–1941 годы' ||
        fail "north ru title: $(pdftotext -l 1 n.pdf - | head -3)"
    "$atlas" handout --db fx.gpkg --year 1937 --title "Camps of 1937" \
        --subtitle "History, class 9b" -o t.pdf || fail "handout --title"
    pdftotext -l 1 t.pdf - | head -2 | tr '\n' ' ' |
        grep -q '^Camps of 1937 History, class 9b' ||
        fail "--title, --subtitle: $(pdftotext -l 1 t.pdf - | head -3)"
    pdfinfo t.pdf | grep -q '^Title: *Camps of 1937$' || fail "--title metadata"
    pdftotext t.pdf - | tr '\n' ' ' > all.txt
    grep -q 'Location precision' all.txt || fail "no Location precision column"
    grep -q 'Place (today)' all.txt || fail "no Place column"
    grep -q 'Komi Republic, Russia' all.txt || fail "no place of RU-KO"
    "$atlas" handout --db fx.gpkg --year 1937 --lang uk -o u.pdf || fail "uk"
    pdftotext u.pdf - | tr '\n' ' ' | grep -q 'Республіка Комі, Росія' ||
        fail "the place not in Ukrainian"
    ;;
legible)
    # 2026-12: printed, the legend was 4.3 pt, the precision note 3.7 pt,
    # the size key 3.8 pt and the map numbers 5.2 pt, and the whole USSR
    # a strip of 176 x 91 mm on A4. Now no word of page 1 is under 7 pt
    # (pdftotext's word boxes are 1.163 em high in DejaVu Sans), in any
    # language, extent or paper; and the wide map of the USSR gets a
    # landscape page 1, its frame at least 250 mm wide (or 150 mm high)
    fixture
    small() {
        pdftotext -f 1 -l 1 -bbox "$1" - | awk -F'"' '
            /<word / { h = ($8 - $4) / 1.163; w = $0
                       sub(/.*">/, "", w); sub(/<\/word>.*/, "", w)
                       if (h < 6.98) printf "%s (%.2f pt) ", w, h }'
    }
    for a in "" "--extent west --lang uk" "--extent north --paper letter" \
             "--extent kolyma --lang ru" "--from 1937 --to 1941 --lang pl"; do
        case $a in *--from*) y= ;; *) y="--year 1950" ;; esac
        # shellcheck disable=SC2086
        "$atlas" handout --db fx.gpkg $y $a --debug-labels l.json -o h.pdf ||
            fail "handout $a"
        s=$(small h.pdf)
        [ -z "$s" ] || fail "handout $a: words under 7 pt: $s"
        [ "$(pdftotext -f 1 -l 1 h.pdf - | wc -w)" -gt 40 ] ||
            fail "handout $a: page 1 has hardly any text"
    done
    "$atlas" handout --db fx.gpkg --year 1937 --debug-labels l.json -o h.pdf ||
        fail handout
    pdfinfo -f 1 -l 2 h.pdf | grep -q '^Page *1 size: *841.89 x 595.276' ||
        fail "page 1 not landscape: $(pdfinfo -f 1 -l 2 h.pdf | grep size)"
    pdfinfo -f 1 -l 2 h.pdf | grep -q '^Page *2 size: *595.276 x 841.89' ||
        fail "page 2 not portrait: $(pdfinfo -f 1 -l 2 h.pdf | grep size)"
    jq -e '.frame | ((.[2] - .[0]) * 25.4 / 96 >= 250) or
                    ((.[3] - .[1]) * 25.4 / 96 >= 150)' l.json >/dev/null ||
        fail "map frame $(jq -c .frame l.json) px: under 250 mm wide and 150 mm tall"
    ;;
*)
    echo "unknown case $case"
    exit 2
    ;;
esac
exit 0
