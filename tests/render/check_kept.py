"""check_kept.py LABELS.json SELECTION.geojson: every feature of the
selection flagged significant, and each of the ten sites with the largest
prisoner counts, is named on the map: placed (with a leader if need be),
or dropped only as outside the frame. Prints each failure, exits 1 on
any."""
import json
import sys

lab = json.load(open(sys.argv[1]))
sel = json.load(open(sys.argv[2]))["features"]
placed = {p["id"] for p in lab["placed"]}
outside = {d["id"] for d in lab["dropped"] if d["reason"] == "outside the frame"}
named = {p["id"] for p in lab["placed"] + lab["dropped"]}
want = {}
for f in sel:
    p = f["properties"]
    # deportation flows carry no name yet; sites and built lines do
    if p.get("significant") == 1 and (f["geometry"]["type"] == "Point" or
                                      p["kind"] in ("railway", "canal", "road")):
        want[p["id"]] = "significant"
counted = [f["properties"] for f in sel
           if f["geometry"]["type"] == "Point"
           and f["properties"].get("prisoners") is not None
           and f["properties"]["id"] not in outside]
counted.sort(key=lambda p: (-p["prisoners"], p["id"]))
for p in counted[:10]:
    want.setdefault(p["id"], "one of the ten largest (%d)" % p["prisoners"])
bad = ["%s (%s) is not named: %s" % (i, why, next(
           (d["reason"] for d in lab["dropped"] if d["id"] == i), "no label"))
       for i, why in sorted(want.items())
       if i not in placed and i not in outside and i in named]
bad += ["%s (%s) has no label at all" % (i, why)
        for i, why in sorted(want.items()) if i not in named]
print("\n".join(bad))
sys.exit(1 if bad else 0)
