"""hostile_names.py: the names tests/cli/hostile.sh loads, exports and
draws. `python3 hostile_names.py csv` writes them as an atlas CSV;
`python3 hostile_names.py check FILE.geojson` checks that an export
gives every name back byte for byte."""
import csv
import json
import sys

NAMES = {
    "h_markup": "<b>bold</b> & co <i>x</i> &amp; &lt;",
    "h_format": "%s%n%x%p %%d {name} ${HOME} $(id) `id`",
    "h_sql": "'); DROP TABLE sites; --",
    "h_ctrl": "bell\x07 esc\x1b[31mred\x1b[0m tab\tcr\rnl\nend\x7f c1\u009b2J",
    "h_rtl": "\u200fRTL \u202eevil\u202c \u2067iso\u2069 \u05e9\u05dc\u05d5\u05dd",
    "h_long": "\u041b" * 5000 + "x" * 5000,
    "h_quote": 'say "hi", \\n \\u0000 \\" ,,,',
}


def write_csv(out):
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "kind", "name_en", "name_ru", "lon", "lat",
                "year_start", "year_end", "description", "sources"])
    for i, (fid, name) in enumerate(NAMES.items()):
        w.writerow([fid, "camp", name, name, 40 + i * 10, 55 + i, 1937,
                    1938, name, "x"])


def check(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    got = {ft["properties"]["id"]: ft["properties"] for ft in doc["features"]}
    bad = 0
    for fid, name in NAMES.items():
        for field in ("name_en", "name_ru", "description"):
            if got.get(fid, {}).get(field) != name:
                print(f"FAIL: {fid}.{field} differs after the export")
                bad = 1
    return bad


if __name__ == "__main__":
    if sys.argv[1] == "csv":
        write_csv(sys.stdout)
    else:
        sys.exit(check(sys.argv[2]))
