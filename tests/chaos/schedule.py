#!/usr/bin/env python3
"""The chaos soak's fault schedule: a pure function of its arguments.

  schedule.py SEED SECONDS ROUTERS HELLO_MS HOLD_MS

prints one fault per line, by start time:

  AT_MS KIND ROUTER DURATION_MS ARG

Faults come in waves: a wave starts one to three faults a few seconds
apart, on different routers, often overlapping; then a quiet time, long
enough for the group to settle and for the invariants to be checked on a
healed group. At most ROUTERS - 1 routers are down at once (killed,
stopped, cut off, leaving), so the group always has someone to fail over
to. ROUTER is 1-based; ARG is the fault's own parameter (-: none):

  kill9     kill -9 the daemon, restart it DURATION later
  stall     SIGSTOP the daemon, SIGCONT it DURATION later
  lan_flap  the router's LAN port down for DURATION
  up_flap   its upstream port down for DURATION (the daemon tracks it)
  loss      ARG % of its hellos lost (ARG: PCT/in|out|both) for DURATION
  split     it and router ARG stop hearing each other for DURATION
  graceful  SIGTERM (ARG: drain or nodrain), restarted DURATION after it stops
  sighup    a reload with ARG changed (priority=N, weight=N, timers=H/H)
  skew      hosts of ARG (a vMAC owned then) send a burst for DURATION
  arp_flood ARP requests from 400 new addresses over DURATION
  hostile   a burst of forged and garbage hellos for DURATION
"""
import random
import sys

DISRUPTIVE = {"kill9", "stall", "lan_flap", "graceful"}
KINDS = [  # (kind, weight)
    ("kill9", 3), ("stall", 2), ("lan_flap", 3), ("up_flap", 2), ("loss", 3),
    ("split", 2), ("graceful", 3), ("sighup", 3), ("skew", 2), ("arp_flood", 1),
    ("hostile", 1),
]


def draw(rng, seconds, routers, hello, hold):
    out = []
    busy = {}  # router -> ms until which a fault of it is going on
    t = 5000 + rng.randrange(0, 2000)  # the group forms first
    end = seconds * 1000 - 15000  # and settles at the end
    while t < end:
        wave_end = t
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
            free = [r for r in range(1, routers + 1) if busy.get(r, 0) <= t]
            down = sum(1 for r in range(1, routers + 1) if busy.get(r, 0) > t)
            if not free or (kind in DISRUPTIVE and down >= routers - 1):
                kind = "sighup" if free else None
            if kind is None:
                break
            r = rng.choice(free)
            arg = "-"
            if kind == "kill9":
                dur = rng.randrange(hold // 3, 3 * hold + 1)  # within and beyond the hold time
            elif kind == "stall":
                dur = rng.randrange(hold // 2, 2 * hold + 1)
            elif kind == "lan_flap":
                dur = rng.choice([200, 500, 1500, 3 * hold])
            elif kind == "up_flap":
                dur = rng.randrange(1000, 5001)
            elif kind == "loss":
                dur = rng.randrange(3000, 15001)
                arg = "%d/%s" % (rng.randrange(10, 51), rng.choice(["in", "out", "both"]))
            elif kind == "split":
                others = [o for o in free if o != r]
                if not others:
                    continue
                other = rng.choice(others)
                busy[other] = t + rng.randrange(1000, 10001)
                dur = busy[other] - t
                arg = str(other)
            elif kind == "graceful":
                dur = rng.randrange(1000, 5001)
                arg = rng.choice(["drain", "nodrain"])
            elif kind == "sighup":
                dur = 0
                what = rng.choice(["priority", "weight", "timers"])
                if what == "priority":
                    arg = "priority=%d" % rng.randrange(50, 201)
                elif what == "weight":
                    arg = "weight=%d" % rng.choice([1, 50, 100, 150, 255])
                else:
                    h = rng.choice([hello, hello, hello * 2])
                    arg = "timers=%d/%d" % (h, 3 * h)
            elif kind == "skew":
                dur = rng.randrange(3000, 10001)
                arg = str(rng.randrange(1, 1000))  # which owned vMAC, modulo their number
            else:  # arp_flood, hostile
                dur = rng.randrange(500, 2001)
            out.append((t, kind, r, dur, arg))
            # a restart listens a hold time; a graceful stop first drains (8 s at most)
            after = {"graceful": 8000 + 3 * hold + 1000}.get(kind, hold if kind in DISRUPTIVE else 0)
            busy[r] = max(busy.get(r, 0), t + dur + after)
            wave_end = max(wave_end, t + dur)
            t += rng.randrange(200, 3001)
        # quiet: the last fault healed, the group settles, and is checked
        t = max(t, wave_end) + 3 * hold + 2 * hello + rng.randrange(2000, 6001)
    return out


def main():
    if len(sys.argv) != 6:
        sys.exit("usage: schedule.py SEED SECONDS ROUTERS HELLO_MS HOLD_MS")
    seed, seconds, routers, hello, hold = (int(a) for a in sys.argv[1:])
    for at, kind, r, dur, arg in draw(random.Random(seed), seconds, routers, hello, hold):
        print(at, kind, r, dur, arg)


if __name__ == "__main__":
    main()
