#!/bin/sh
# i18n_complete.sh I18NDIR: fails, listing them, when a key of en.json is
# missing from another language (it would show in English), or a
# translation has a key English does not.
dir=$1
command -v jq >/dev/null 2>&1 || { echo "SKIP: no jq"; exit 77; }
jq -r 'keys[]' "$dir/en.json" | sort > /tmp/atlas-i18n-en.$$ || exit 1
status=0
for f in "$dir"/*.json; do
    lang=$(basename "$f" .json)
    [ "$lang" = en ] && continue
    jq -r 'keys[]' "$f" | sort > /tmp/atlas-i18n-$lang.$$ || status=1
    missing=$(comm -23 /tmp/atlas-i18n-en.$$ /tmp/atlas-i18n-$lang.$$)
    extra=$(comm -13 /tmp/atlas-i18n-en.$$ /tmp/atlas-i18n-$lang.$$)
    if [ -n "$missing" ]; then
        echo "$lang: untranslated:"; echo "$missing" | sed 's/^/  /'; status=1
    fi
    if [ -n "$extra" ]; then
        echo "$lang: not in en.json:"; echo "$extra" | sed 's/^/  /'; status=1
    fi
    rm -f /tmp/atlas-i18n-$lang.$$
done
for l in ru uk pl; do
    [ -f "$dir/$l.json" ] || { echo "$l.json missing"; status=1; }
done
rm -f /tmp/atlas-i18n-en.$$
exit $status
