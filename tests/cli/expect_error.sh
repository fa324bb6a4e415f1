#!/bin/sh
# expect_error.sh RC MESSAGE DB COMMAND...
# Passes when COMMAND exits with RC, prints exactly "atlas: error: MESSAGE"
# on stderr, and leaves DB (a GeoPackage, possibly absent) as it was.
want_rc=$1 want_msg=$2 db=$3
shift 3
snap() { [ -e "$db" ] && sqlite3 -readonly "$db" .dump 2>/dev/null | md5sum; }
before=$(snap)
"$@" >/dev/null 2>err.txt
rc=$?
after=$(snap)
ok=1
if [ "$rc" != "$want_rc" ]; then
    echo "FAIL: exit $rc, expected $want_rc: $*"
    ok=0
fi
if ! grep -qxF "atlas: error: $want_msg" err.txt; then
    echo "FAIL: message differs: $*"
    echo "  expected: atlas: error: $want_msg"
    echo "  got:      $(cat err.txt)"
    ok=0
fi
if [ "$before" != "$after" ]; then
    echo "FAIL: database $db changed: $*"
    ok=0
fi
[ $ok = 1 ]
