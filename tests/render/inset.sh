#!/bin/sh
# inset.sh ATLAS DIR CASE: insets of dense clusters on the maps of the
# dataset (geodata/ loaded into a fresh GeoPackage), checked through
# --debug-labels. Exit 0 pass, 1 fail, 77 skip (a tool missing). Runs in a
# temporary folder it removes.
atlas=$1 dir=$2 case=$3
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
no() { echo "FAIL: $*"; fail=1; }
command -v jq >/dev/null 2>&1 || { echo "SKIP: no jq"; exit 77; }
"$atlas" load --db geo.gpkg "$dir/../../geodata" >/dev/null 2>load.txt ||
    { cat load.txt; echo "FAIL: geodata did not load"; exit 1; }

# insets J: the names of the insets drawn
insets() { jq -r '[.insets[].name] | join(",")' "$1"; }
# in_inset J NAME ID: 1 when feature ID's label is placed in inset NAME,
# inside its frame
in_inset() {
    jq -e --arg n "$2" --arg id "$3" '
        (.insets[] | select(.name == $n) | .frame) as $f
        | [.placed[] | select(.inset == $n and .id == $id)
           | select(.bbox[0] >= $f[0] - 1 and .bbox[2] <= $f[2] + 1
                    and .bbox[1] >= $f[1] - 1 and .bbox[3] <= $f[3] + 1)]
        | length == 1' "$1" >/dev/null
}

case $case in
auto)
    # 2026-12: on the 1937 USSR map the Moscow cluster was an unnamed
    # blob. It gets an inset by itself, whose labels name Butovo,
    # Kommunarka and Dmitlag; the main map no longer names them.
    "$atlas" render --db geo.gpkg --year 1937 --debug-labels m.json \
        -o m.png || no "render 1937"
    case ,$(insets m.json), in
    *,moscow,*) ;;
    *) no "no Moscow inset: $(insets m.json)" ;;
    esac
    for id in butovo kommunarka dmitlag; do
        in_inset m.json moscow $id || no "$id not named in the Moscow inset"
        jq -e --arg id $id '[.placed[] | select(.id == $id and
            (.inset == null))] | length == 0' m.json >/dev/null ||
            no "$id named on the main map too"
    done
    # the inset lies in the frame, clear of the legend and the scale bar
    jq -e '.frame as $f | .legend.bbox as $l | .scale as $s
        | all(.insets[].frame; .[0] >= $f[0] and .[2] <= $f[2]
              and .[1] >= $f[1] and .[3] <= $f[3]
              and ($l == [] or .[2] <= $l[0] or .[0] >= $l[2]
                   or .[3] <= $l[1] or .[1] >= $l[3])
              and ($s == [] or .[2] <= $s[0] or .[0] >= $s[2]
                   or .[3] <= $s[1] or .[1] >= $s[3]))' m.json >/dev/null ||
        no "an inset outside the frame or over the legend or scale bar"
    # the same again, byte for byte
    "$atlas" render --db geo.gpkg --year 1937 -o m2.png || no "render again"
    cmp -s m.png m2.png || no "a second render differs"
    ;;
options)
    "$atlas" render --db geo.gpkg --year 1937 --no-insets \
        --debug-labels n.json -o n.png || no "render --no-insets"
    [ "$(insets n.json)" = "" ] || no "--no-insets drew $(insets n.json)"
    jq -e '[.placed[] | select(.inset != null)] | length == 0' n.json \
        >/dev/null || no "--no-insets: labels in an inset"
    "$atlas" render --db geo.gpkg --year 1937 --inset leningrad \
        --debug-labels l.json -o l.png || no "render --inset leningrad"
    [ "$(insets l.json)" = leningrad ] ||
        no "--inset leningrad drew \"$(insets l.json)\""
    in_inset l.json leningrad levashovo || no "Levashovo not in its inset"
    "$atlas" render --db geo.gpkg --year 1937 --inset moscow,nowhere \
        -o x.png 2>err.txt && no "--inset nowhere accepted"
    grep -qxF 'atlas: error: --inset: "nowhere": expected moscow, leningrad, lviv or kuzbass' \
        err.txt || no "message: $(cat err.txt)"
    [ ! -e x.png ] || no "x.png left behind"
    ;;
handout)
    # a handout's inset shows the same numbers as the main map
    "$atlas" handout --db geo.gpkg --year 1937 --debug-labels h.json \
        --debug-numbers h.txt -o h.pdf || no "handout 1937"
    case ,$(insets h.json), in
    *,moscow,*) ;;
    *) no "no Moscow inset on the handout: $(insets h.json)" ;;
    esac
    for id in butovo kommunarka; do
        in_inset h.json moscow $id || no "$id has no number in the inset"
        want=$(awk -F '\t' -v id=$id '$2 == id { print $1 }' h.txt)
        got=$(jq -r --arg id $id '.placed[] | select(.inset == "moscow"
            and .id == $id) | .text' h.json)
        [ -n "$want" ] && [ "$want" = "$got" ] ||
            no "$id: number $got in the inset, $want in the table"
    done
    "$atlas" handout --db geo.gpkg --year 1937 --no-insets \
        --debug-labels hn.json -o hn.pdf || no "handout --no-insets"
    [ "$(insets hn.json)" = "" ] || no "handout --no-insets drew some"
    ;;
*)
    echo "unknown case $case"
    exit 1
    ;;
esac
exit $fail
