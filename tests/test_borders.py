#!/usr/bin/env python3
"""Checks the period borders layer.

usage: test_borders.py BORDERS_GEOJSON CHECKS_CSV

BORDERS_GEOJSON is geodata/borders.geojson or the output of
`atlas export --layer borders`. CHECKS_CSV (tests/data/border_checks.csv)
has the columns place,lon,lat,date,state,source; `state` is
  - a state code (SU, PL, ...): exactly one kind=state feature in force on
    that date contains the point, and it has that state;
  - `occupied`: some kind=occupied feature in force on that date contains it;
  - `not_occupied`: no kind=occupied feature in force on that date does.
The file itself is checked too: every property present and typed, dates
valid, year_start/year_end agree with the dates, label points inside (and
in no other state polygon of an overlapping period), and per state the
kind=state periods never overlap and follow each other day after day unless
a period has restored=true. If geodata/sources_borders.csv
is found next to this script's tests/ folder, every source id must be in it.
Pure python3 (json, csv). Prints one line per failure and, last,
"N passed, M failed"; exits 1 on any failure.
"""
import csv
import datetime
import json
import os
import sys

PROPS = ("id", "state", "name_en", "name_ru", "name_uk", "name_pl",
         "name_local", "local_lang", "date_start", "date_end", "year_start",
         "year_end", "kind", "restored", "sources", "precision", "label_lon",
         "label_lat", "notes")
PRECISION = ("exact", "approximate", "sketch")

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)
    return ok


def day(text):
    try:
        if len(text) != 10:
            return None
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def polygons(geom):
    if geom is None:
        return []
    if geom.get("type") == "Polygon":
        return [geom["coordinates"]]
    if geom.get("type") == "MultiPolygon":
        return geom["coordinates"]
    return []


def in_ring(x, y, ring):
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y):
            xc = xi + (y - yi) * (xj - xi) / (yj - yi)
            if x < xc:
                inside = not inside
        j = i
    return inside


class Shape:
    def __init__(self, geom):
        self.polys = []
        for poly in polygons(geom):
            xs = [p[0] for p in poly[0]]
            ys = [p[1] for p in poly[0]]
            self.polys.append(((min(xs), min(ys), max(xs), max(ys)), poly))

    def contains(self, x, y):
        for (x0, y0, x1, y1), poly in self.polys:
            if not (x0 <= x <= x1 and y0 <= y <= y1):
                continue
            if in_ring(x, y, poly[0]) and \
                    not any(in_ring(x, y, hole) for hole in poly[1:]):
                return True
        return False


def main():
    if len(sys.argv) != 3:
        print("usage: test_borders.py BORDERS_GEOJSON CHECKS_CSV",
              file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as fh:
        data = json.load(fh)
    source_ids = None
    here = os.path.dirname(os.path.abspath(__file__))
    sources_csv = os.path.join(here, "..", "geodata", "sources_borders.csv")
    if os.path.exists(sources_csv):
        with open(sources_csv, encoding="utf-8", newline="") as fh:
            source_ids = {r["id"] for r in csv.DictReader(fh)}

    check(data.get("type") == "FeatureCollection", "not a FeatureCollection")
    feats = []
    ids = set()
    for k, f in enumerate(data.get("features", [])):
        p = f.get("properties") or {}
        fid = p.get("id", "#%d" % k)
        missing = [name for name in PROPS if name not in p]
        if not check(not missing, "%s: missing %s" % (fid, ", ".join(missing))):
            continue
        check(fid not in ids, "%s: duplicate id" % fid)
        ids.add(fid)
        a, b = day(p["date_start"]), day(p["date_end"])
        if not check(a is not None and b is not None and a <= b,
                     "%s: bad dates %r..%r" % (fid, p["date_start"],
                                              p["date_end"])):
            continue
        check(p["year_start"] == a.year and p["year_end"] == b.year,
              "%s: year_start/year_end do not match the dates" % fid)
        check(p["kind"] in ("state", "occupied"), "%s: kind %r" % (fid, p["kind"]))
        check(isinstance(p["restored"], bool), "%s: restored not boolean" % fid)
        check(p["precision"] in PRECISION, "%s: precision %r" % (fid, p["precision"]))
        check(isinstance(p["state"], str) and len(p["state"]) == 2
              and p["state"].isupper(), "%s: state %r" % (fid, p["state"]))
        for name in ("name_en", "name_ru", "name_uk", "name_pl", "name_local",
                     "local_lang", "notes", "sources"):
            check(isinstance(p[name], str) and p[name].strip(),
                  "%s: empty %s" % (fid, name))
        check(any("\u0400" <= c <= "\u04ff" for c in str(p["name_ru"])),
              "%s: name_ru is not Cyrillic" % fid)
        if source_ids is not None:
            bad = [s for s in str(p["sources"]).split(";") if s not in source_ids]
            check(not bad, "%s: unknown sources %s" % (fid, ", ".join(bad)))
        geom = f.get("geometry") or {}
        if not check(geom.get("type") in ("Polygon", "MultiPolygon"),
                     "%s: geometry %r" % (fid, geom.get("type"))):
            continue
        shape = Shape(geom)
        check(shape.contains(p["label_lon"], p["label_lat"]),
              "%s: label point outside the polygon" % fid)
        feats.append((p, a, b, shape))

    # Periods of a state: no overlap, contiguous unless restored.
    by_state = {}
    for p, a, b, shape in feats:
        if p["kind"] == "state":
            by_state.setdefault(p["state"], []).append((a, b, p))
    for state, periods in sorted(by_state.items()):
        periods.sort(key=lambda t: t[0])
        for (a0, b0, p0), (a1, b1, p1) in zip(periods, periods[1:]):
            if not check(a1 > b0, "%s: %s overlaps %s" % (state, p0["id"], p1["id"])):
                continue
            if p1["restored"]:
                check(a1 > b0 + datetime.timedelta(days=1),
                      "%s: %s is restored but follows %s without a gap" %
                      (state, p1["id"], p0["id"]))
            else:
                check(a1 == b0 + datetime.timedelta(days=1),
                      "%s: gap between %s (to %s) and %s (from %s)" %
                      (state, p0["id"], b0, p1["id"], a1))
        first = periods[0][2]
        check(not first["restored"] or len(periods) == 1,
              "%s: first period %s marked restored" % (state, first["id"]))
    su = sorted(by_state.get("SU", []), key=lambda t: t[0])
    if check(bool(su), "no SU periods"):
        check(su[0][0] == datetime.date(1922, 12, 30), "SU must start 1922-12-30")
        check(su[-1][1] == datetime.date(1991, 12, 26), "SU must end 1991-12-26")

    # Two states in force on the same day must not overlap: each state
    # polygon's label point (well inside it) lies in no other state
    # polygon of an overlapping period.
    states = [(p, a, b, shape) for p, a, b, shape in feats
              if p["kind"] == "state"]
    for p, a, b, shape in states:
        x, y = p["label_lon"], p["label_lat"]
        others = [q["id"] for q, c, e, other in states
                  if q is not p and c <= b and a <= e and other.contains(x, y)]
        check(not others, "%s: its label point is also inside %s" % (
            p["id"], ", ".join(others)))

    # Place-date checks.
    with open(sys.argv[2], encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    check(len(rows) >= 30, "fewer than 30 checks")
    for r in rows:
        label = "%s %s" % (r["place"], r["date"])
        d = day(r["date"])
        if not check(d is not None, "%s: bad date" % label):
            continue
        x, y = float(r["lon"]), float(r["lat"])
        now = [(p, shape) for p, a, b, shape in feats if a <= d <= b]
        states = [p for p, shape in now
                  if p["kind"] == "state" and shape.contains(x, y)]
        occupied = [p for p, shape in now
                    if p["kind"] == "occupied" and shape.contains(x, y)]
        want = r["state"]
        check(len(states) <= 1, "%s: inside %d states (%s)" % (
            label, len(states), ", ".join(p["id"] for p in states)))
        if want == "occupied":
            check(bool(occupied), "%s: expected occupied, is not" % label)
        elif want == "not_occupied":
            check(not occupied, "%s: expected not occupied, is in %s" % (
                label, ", ".join(p["id"] for p in occupied)))
        else:
            got = ", ".join("%s (%s)" % (p["state"], p["id"]) for p in states)
            check(len(states) == 1 and states[0]["state"] == want,
                  "%s: expected %s, got %s" % (label, want, got or "nothing"))

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
