"""check_labels.py LABELS.json PAGE_W PAGE_H [legend]: no placed label
crosses a line segment; with "legend", the legend lies below the frame,
inside the page, and no placed label overlaps it. Prints each failure,
exits 1 on any."""
import json
import sys


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


lab = json.load(open(sys.argv[1]))
pw, ph = float(sys.argv[2]), float(sys.argv[3])
bad = []
for p in lab["placed"]:
    b = p["bbox"]
    for s in lab["line_segments"]:
        if seg_in_box(s, b):
            bad.append("label %s (%s) %s crosses line segment %s"
                       % (p["id"], p["text"], b, s))
            break
if len(sys.argv) > 4:
    f, lg = lab["frame"], lab["legend"]["bbox"]
    if len(lg) != 4:
        bad.append("no legend")
    else:
        if lg[1] < f[3]:
            bad.append("legend %s not below the frame %s" % (lg, f))
        if lg[0] < 0 or lg[1] < 0 or lg[2] > pw or lg[3] > ph:
            bad.append("legend %s outside the page %sx%s" % (lg, pw, ph))
        for p in lab["placed"]:
            b = p["bbox"]
            if b[0] < lg[2] and b[2] > lg[0] and b[1] < lg[3] and b[3] > lg[1]:
                bad.append("label %s overlaps the legend" % p["id"])
print("\n".join(bad))
sys.exit(1 if bad else 0)
