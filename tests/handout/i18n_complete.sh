#!/bin/sh
# i18n_complete.sh I18NDIR: fails, listing them, when a key of en.json is
# missing from another language (it would show in English), a translation
# has a key English does not, a text is not a string, a translation is
# empty where English is not, its {placeholders} differ from English's
# (a value would be lost or show as "{name}"), or number.group_min is not
# a number. Every language the atlas promises must have its file.
dir=$1
LC_ALL=C; export LC_ALL # sort, comm and join agree on the order
command -v jq >/dev/null 2>&1 || { echo "SKIP: no jq"; exit 77; }
tmp=${TMPDIR:-/tmp}/atlas-i18n.$$
mkdir "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
# key TAB its placeholders, sorted and joined ("{from},{to}")
holes='to_entries[] | "\(.key)\t\([.value | strings | scan("\\{[^{}]*\\}")]
       | sort | join(","))"'
jq -r 'keys[]' "$dir/en.json" | sort > "$tmp/en.keys" || exit 1
jq -r "$holes" "$dir/en.json" | sort > "$tmp/en.holes" || exit 1
status=0
for f in "$dir"/*.json; do
    lang=$(basename "$f" .json)
    [ "$lang" = en ] && continue
    if ! jq -e 'type == "object" and all(.[]; type == "string")' "$f" \
        >/dev/null; then
        echo "$lang: not a JSON object of strings"; status=1; continue
    fi
    jq -r 'keys[]' "$f" | sort > "$tmp/$lang.keys"
    missing=$(comm -23 "$tmp/en.keys" "$tmp/$lang.keys")
    extra=$(comm -13 "$tmp/en.keys" "$tmp/$lang.keys")
    if [ -n "$missing" ]; then
        echo "$lang: untranslated:"; echo "$missing" | sed 's/^/  /'; status=1
    fi
    if [ -n "$extra" ]; then
        echo "$lang: not in en.json:"; echo "$extra" | sed 's/^/  /'; status=1
    fi
    # placeholders of the keys both have: English's set, the same here
    jq -r "$holes" "$f" | sort > "$tmp/$lang.holes"
    holes_bad=$(join -t "$(printf '\t')" -a 1 "$tmp/en.holes" \
                     "$tmp/$lang.holes" |
                awk -F '\t' 'NF == 3 && $2 != $3 {
                                 print $1 ": " $3 " (en: " $2 ")" }')
    if [ -n "$holes_bad" ]; then
        echo "$lang: placeholders differ:"; echo "$holes_bad" |
            sed 's/^/  /'; status=1
    fi
    empty=$(jq -r --slurpfile en "$dir/en.json" \
        'to_entries[] | select(.value == "" and
                               ($en[0][.key] // "") != "") | .key' "$f")
    if [ -n "$empty" ]; then
        echo "$lang: empty:"; echo "$empty" | sed 's/^/  /'; status=1
    fi
    if ! jq -e '(.["number.group_min"] // "4") | test("^[0-9]+$")' "$f" \
        >/dev/null; then
        echo "$lang: number.group_min: expected a number of digits"; status=1
    fi
done
for l in ru uk pl lt lv et de; do
    [ -f "$dir/$l.json" ] || { echo "$l.json missing"; status=1; }
done
exit $status
