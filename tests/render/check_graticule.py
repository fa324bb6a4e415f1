"""check_graticule.py LABELS.json MIN_MERIDIANS MIN_PARALLELS: the
graticule of a --debug-labels file has at least that many labelled
meridians and parallels; each label lies within 2 px of its own line,
inside the frame, next to where that line meets the frame; no label
overlaps another, a placed label, the legend or the scale bar. Prints
each failure, exits 1 on any."""
import json
import math
import sys


def seg_dist(a, b, x, y):
    dx, dy = b[0] - a[0], b[1] - a[1]
    l2 = dx * dx + dy * dy
    t = 0 if l2 == 0 else max(0, min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / l2))
    return math.hypot(a[0] + t * dx - x, a[1] + t * dy - y)


def seg_in_box(s, b):
    # Liang-Barsky: does segment s (x0, y0, x1, y1) cross box b?
    dx, dy = s[2] - s[0], s[3] - s[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, s[0] - b[0]), (dx, b[2] - s[0]),
                 (-dy, s[1] - b[1]), (dy, b[3] - s[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def pt_box(x, y, b):
    return math.hypot(x - min(max(x, b[0]), b[2]), y - min(max(y, b[1]), b[3]))


def box_dist(pts, b):
    # the polyline's distance from the box: 0 when it runs through it
    best = float("inf")
    corners = ((b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3]))
    for a, c in zip(pts, pts[1:]):
        if math.hypot(c[0] - a[0], c[1] - a[1]) > 200:
            continue  # a jump across the projection's cut
        if seg_in_box(a + c, b):
            return 0
        best = min([best, pt_box(a[0], a[1], b), pt_box(c[0], c[1], b)] +
                   [seg_dist(a, c, x, y) for x, y in corners])
    return best


def overlap(a, b):
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


lab = json.load(open(sys.argv[1]))
want_m, want_p = int(sys.argv[2]), int(sys.argv[3])
f = lab["frame"]
bad = []
got = {"meridian": 0, "parallel": 0}
boxes = []
for g in lab["graticule"]:
    if "bbox" not in g:
        continue
    b, c = g["bbox"], g["cross"]
    got[g["line"]] += 1
    d = box_dist(g["points"], b)
    if d > 2:
        bad.append("%s: label %s is %.1f px from its line" % (g["text"], b, d))
    if b[0] < f[0] or b[1] < f[1] or b[2] > f[2] or b[3] > f[3]:
        bad.append("%s: label %s outside the frame %s" % (g["text"], b, f))
    on_edge = min(abs(c[0] - f[0]), abs(c[0] - f[2]), abs(c[1] - f[1]),
                  abs(c[1] - f[3]))
    if on_edge > 0.5:
        bad.append("%s: crossing %s not on the frame" % (g["text"], c))
    near = math.hypot(c[0] - min(max(c[0], b[0]), b[2]),
                      c[1] - min(max(c[1], b[1]), b[3]))
    if near > 6 * max(b[2] - b[0], b[3] - b[1]):
        bad.append("%s: label %s far from where its line meets the frame %s"
                   % (g["text"], b, c))
    for o, ob in boxes:
        if overlap(b, ob):
            bad.append("%s overlaps %s" % (g["text"], o))
    boxes.append((g["text"], b))
    for p in lab["placed"]:
        if overlap(b, p["bbox"]):
            bad.append("%s overlaps the label %s" % (g["text"], p["text"]))
    for what in ("legend", "scale"):
        ob = lab[what]["bbox"] if what == "legend" else lab[what]
        if len(ob) == 4 and overlap(b, ob):
            bad.append("%s overlaps the %s" % (g["text"], what))
if got["meridian"] < want_m or got["parallel"] < want_p:
    bad.append("labelled %d meridians and %d parallels, want %d and %d"
               % (got["meridian"], got["parallel"], want_m, want_p))
print("\n".join(bad))
sys.exit(1 if bad else 0)
