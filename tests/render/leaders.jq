# leaders.jq: checks the leader lines of a --debug-labels file (jq -r -f).
# Prints one line per fault, nothing when each leader is shorter than
# 12% of the frame's diagonal and crosses neither another leader nor
# another placed label's box (shrunk by 0.5 for the rounding).
# 2026-12: a leader starting within 2 px of another (at the edge of its
# symbol, which the other runs over) touches it, as ends do.

def len: (((.[2] - .[0]) | . * .) + ((.[3] - .[1]) | . * .)) | sqrt;
# > 0 when C lies left of A->B
def orient(a; b; c): (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
# the distance of point P from segment S
def dist(s; p):
    ((s[2] - s[0]) * (s[2] - s[0]) + (s[3] - s[1]) * (s[3] - s[1])) as $l2 |
    (if $l2 == 0 then 0 else
        (((p[0] - s[0]) * (s[2] - s[0]) + (p[1] - s[1]) * (s[3] - s[1])) / $l2)
     end | if . < 0 then 0 elif . > 1 then 1 else . end) as $t |
    [s[0] + $t * (s[2] - s[0]) - p[0], s[1] + $t * (s[3] - s[1]) - p[1], 0, 0] |
    [0, 0, .[0], .[1]] | len;
# segments S and T cross (touching ends do not count, nor a leader that
# starts on the other within 2 px: at a symbol's edge, where the eye
# sees the two meet, not cross)
def crosses(s; t):
    (orient(t[0:2]; t[2:4]; s[0:2]) * orient(t[0:2]; t[2:4]; s[2:4]) < 0) and
    (orient(s[0:2]; s[2:4]; t[0:2]) * orient(s[0:2]; s[2:4]; t[2:4]) < 0) and
    dist(t; s[0:2]) > 2 and dist(s; t[0:2]) > 2;
# segment S enters box B (Liang-Barsky)
def in_box(s; b):
    [[-(s[2] - s[0]), s[0] - b[0]], [s[2] - s[0], b[2] - s[0]],
     [-(s[3] - s[1]), s[1] - b[1]], [s[3] - s[1], b[3] - s[1]]] |
    reduce .[] as [$p, $q] ([0, 1, true];
        if .[2] | not then .
        elif $p == 0 then (if $q < 0 then [.[0], .[1], false] else . end)
        elif $p < 0 then [([.[0], $q / $p] | max), .[1], .[2]]
        else [.[0], ([.[1], $q / $p] | min), .[2]] end |
        if .[0] > .[1] then [.[0], .[1], false] else . end) | .[2];

.frame as $f |
(0.12 * ([$f[2] - $f[0], $f[3] - $f[1], 0, 0] | [0, 0, .[0], .[1]] | len)) as $cap |
[.placed[] | select(.leader != null)] as $l |
.placed as $p |
( $l[] | select((.leader | len) >= $cap) |
  "leader of \(.text) is \(.leader | len) long, cap \($cap)" ),
( range(0; $l | length) as $i | range($i + 1; $l | length) as $j |
  select(crosses($l[$i].leader; $l[$j].leader)) |
  "leaders of \($l[$i].text) and \($l[$j].text) cross" ),
( $l[] as $a | $p[] | select(.id != $a.id or .text != $a.text) |
  select(in_box($a.leader; [.bbox[0] + 0.5, .bbox[1] + 0.5,
                            .bbox[2] - 0.5, .bbox[3] - 0.5])) |
  "leader of \($a.text) runs through \(.text)" )
