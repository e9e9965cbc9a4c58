#!/usr/bin/env python3
"""The chaos soak's judge: holds a run's record (run.sh's OUT directory) to
the group's promises, prints each violation with its time and the faults
active then, and a summary. Exit 1 on any violation.

Times are ms since the traffic started. HOLD and HELLO are the largest in
effect during the run (a reload may lengthen them); BASE = HOLD + 2 HELLO +
SLACK is the longest a host may wait for a reply while no fault of its
router is being detected.

  gap        a host's reply gap longer than BASE, unless it lies within the
             disruption plus BASE of a fault of the host's own router (the
             one owning, or on the switch holding, the host's gateway vMAC
             during the gap; for a split brain, either side): kill -9 and
             SIGSTOP disrupt until the hold time is over, a link flap, hello
             loss or a split brain until it ends; planned changes (graceful
             stop, reload, balance moves, floods) not at all; and while every
             router is out at once (killed, stalled, a link down, stopping),
             until the first is back
  duplicate  a duplicate reply farther than BASE from any fault
  group      on a healed group (every fault over, a restarted router's hold
             time and two hellos past), in two samples running: not exactly
             one AVG, a vMAC owned by no router or by two, or the switch's
             entry for a vMAC on another router's port
  reset      a TCP connection reset, or a new one failed, with no unplanned
             fault (kill -9, stall, flap, loss, split, a stop without drain,
             or one whose drain ran out with connections open: it says so)
             in the 5 s (tcp_keep's stall) + BASE before
  exit       a daemon gone that was not killed or stopped; a stop unfinished
  status     on a healed group, vgw status saying of a vMAC (state, owner)
             other than the pinned vmac_table holds, read by bpftool in
             between two status reads that agree
  log        an error-level log line
  rig        the kernel's neighbour table full during the run (its limits
             are shared by every namespace here: hosts and routers lost ARP
             entries no real LAN's would, and the run proves little)
  leak       a daemon's descriptors or memory growing over its life
"""
import json
import os
import re
import sys
from collections import defaultdict

UNPLANNED = {"kill9", "stall", "lan_flap", "up_flap", "loss", "split"}
TCP_STALL_MS = 5000
SLACK_MS = 150


def read(path):
    try:
        with open(path) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


class Run:
    def __init__(self, out):
        self.out = out
        self.p = dict(l.split("=", 1) for l in read(os.path.join(out, "params")))
        self.routers = int(self.p["routers"])
        self.hosts = int(self.p["hosts"])
        self.vmacs = int(self.p["vmacs"])
        self.t0 = int(self.p.get("t0", 0))
        hello, hold = int(self.p["hello"]), int(self.p["hold"])
        for l in read(os.path.join(out, "schedule")):
            m = re.search(r"timers=(\d+)/(\d+)", l)
            if m:
                hello, hold = max(hello, int(m.group(1))), max(hold, int(m.group(2)))
        self.hello, self.hold = hello, hold
        self.base = hold + 2 * hello + SLACK_MS
        self.faults = self.read_faults()
        self.violations = defaultdict(list)
        self.checks = defaultdict(int)

    def read_faults(self):
        open_, faults = {}, []
        self.finish = None
        self.traffic = 0
        self.unfinished = []
        for l in read(os.path.join(self.out, "events")):
            w = l.split()
            t = int(w[0])
            if w[1] == "finish":
                self.finish = t
            elif w[1] == "traffic":
                self.traffic = t
            elif w[1] == "begin":
                f = {"kind": w[2], "router": int(w[3]), "arg": w[4] if len(w) > 4 else "",
                     "begin": t, "end": None, "stopped": None}
                open_[(w[2], int(w[3]))] = f
                faults.append(f)
            elif w[1] in ("end", "stopped") and (w[2], int(w[3])) in open_:
                open_[(w[2], int(w[3]))][w[1]] = t
                if w[1] == "end":
                    del open_[(w[2], int(w[3]))]
            elif w[1] == "unfinished":
                self.unfinished.append(l)
        last = self.finish or max([f["begin"] for f in faults] + [0])
        for f in faults:
            if f["end"] is None:
                f["end"] = last
        return faults

    def disrupted_until(self, f):
        """Until when hosts may lose replies because of f (BASE comes on top)."""
        if f["kind"] in ("kill9", "stall"):
            return f["begin"] + self.hold
        if f["kind"] in ("lan_flap", "loss", "split"):
            return f["end"]
        return f["begin"]

    def healed_at(self, f):
        """When the group is whole again after f: a restarted router listens a hold time."""
        if f["kind"] in ("kill9", "graceful", "lan_flap", "stall"):
            return f["end"] + self.hold
        if f["kind"] == "sighup":
            return f["begin"]
        return f["end"]

    def active(self, lo, hi, kinds=None):
        return [f for f in self.faults if f["begin"] <= hi and self.healed_at(f) + self.base >= lo
                and (kinds is None or f["kind"] in kinds)]

    def name(self, fs):
        return ", ".join("%s r%d%s@%d" % (f["kind"], f["router"], " " + f["arg"] if f["arg"] else "",
                                            f["begin"]) for f in fs) or "none"

    def bad(self, what, t, text, fs=None):
        fs = self.active(t - self.base, t) if fs is None else fs
        self.violations[what].append("%7d ms  %s  [faults: %s]" % (t, text, self.name(fs)))

    # -- host replies ----------------------------------------------------------------
    def check_pings(self):
        self.gap_by_kind = {}
        self.all_out_gaps = []
        for i in range(1, self.hosts + 1):
            last = None
            for l in read(os.path.join(self.out, "ping%d" % i)):
                m = re.match(r"\[(\d+\.\d+)\] \d+ bytes from .* icmp_seq=(\d+)", l)
                if not m:
                    continue
                t = int(float(m.group(1)) * 1000) - self.t0
                if self.finish is not None and t > self.finish:
                    break
                self.checks["replies"] += 1
                if "DUP!" in l:
                    if not self.active(t - self.base, t + self.base):
                        self.bad("duplicate", t, "h%d: a duplicate reply (seq %s)" % (i, m.group(2)))
                    continue
                if last is not None and t >= 0:
                    self.gap(i, last, t)
                last = t

    def host_routers(self):
        """host -> [(t, routers)]: who had its gateway vMAC, owning it or on the switch."""
        self.via = defaultdict(list)
        for t, rd in self.rounds():
            fdb = {int(mac.split(":")[5], 16): port for mac, port in rd["fdb"] or []}
            for i, mac in rd["arp"].items():
                v = int(mac.split(":")[5], 16)
                rs = {k for k, r in rd["r"].items() if v in r.get("owned", [])}
                if v in fdb and fdb[v].startswith("r"):
                    rs.add(int(fdb[v][1:]))
                self.via[i].append((t, rs))

    def own_faults(self, host, a, b, fs):
        """Of fs, those of the routers that had host's gateway during a..b (all if unknown)."""
        rs = set()
        for t, r in getattr(self, "via", {}).get(host, []):
            if a - self.base - 300 <= t <= b + 300:
                rs |= r
        if not rs:
            return fs
        return [f for f in fs if f["router"] in rs or
                (f["kind"] == "split" and f["arg"].isdigit() and int(f["arg"]) in rs)]

    def gap(self, host, a, b):
        g = b - a
        fs = [f for f in self.faults if f["begin"] <= b and self.disrupted_until(f) + self.base >= a]
        fs = self.own_faults(host, a, b, fs)
        for f in fs:
            k = f["kind"]
            bound = self.disrupted_until(f) - f["begin"] + self.base
            if g > self.gap_by_kind.get(k, (0, 0))[0]:
                self.gap_by_kind[k] = (g, bound)
        if g > self.gap_by_kind.get("none", (0, 0))[0] and not fs:
            self.gap_by_kind["none"] = (g, self.base)
        if g <= self.base:
            return
        if fs and b <= max(self.disrupted_until(f) for f in fs) + self.base and \
                a >= min(f["begin" ] for f in fs) - self.base:
            return
        back = self.all_out_until(a)
        if back is not None and b <= back + self.base:
            self.all_out_gaps.append(g)
            return
        self.bad("gap", b, "h%d: no reply for %d ms (from %d)" % (host, g, a), fs)

    def all_out_until(self, a):
        """When the first router is back, if at a every router was out (killed, stalled,
        its LAN or upstream link down, stopping): nothing could forward; else None."""
        back = {}
        for f in self.faults:
            if f["kind"] not in ("kill9", "stall", "lan_flap", "up_flap", "graceful"):
                continue
            until = f["end"] + (self.hold if f["kind"] in ("kill9", "graceful") else 0)
            if f["begin"] <= a + self.base and until >= a:
                back[f["router"]] = max(back.get(f["router"], 0), until)
        if len(back) < self.routers:
            return None
        return min(back.values())

    # -- the group on a healed LAN ---------------------------------------------------
    def rounds(self):
        cur, t_cur = None, None
        for l in read(os.path.join(self.out, "samples")):
            w = l.split(" ", 2)
            t = int(w[0])
            if w[1] == "r" and w[2].split()[0] == "1":
                if cur is not None:
                    yield t_cur, cur
                cur, t_cur = {"r": {}, "fdb": None, "tcp": {}, "arp": {}}, t
            if cur is None:
                continue
            if w[1] == "r":
                f = w[2].split(" ", 5)
                k, pid, state = int(f[0]), int(f[1]), f[2]
                if state == "alive":
                    st = json.loads(f[5]) if len(f) > 5 else {}
                    cur["r"][k] = {"pid": pid, "fds": int(f[3] or 0), "rss": int(f[4] or 0),
                                   "role": st.get("role"), "owned": st.get("owned", [])}
                else:
                    cur["r"][k] = {"pid": pid, "gone": True}
            elif w[1] == "maps":
                cur.setdefault("maps", []).append(w[2])
            elif w[1] == "fdb":
                cur["fdb"] = json.loads(w[2]) if w[2].strip() else []
            elif w[1] == "arp":
                m = re.search(r"lladdr (02:76:67:[0-9a-f:]+)", w[2])
                if m:
                    cur["arp"][int(w[2].split()[0])] = m.group(1)
            elif w[1] == "tcp":
                f = w[2].split()
                if len(f) >= 7:
                    cur["tcp"][int(f[0])] = (int(f[2]), int(f[4]), int(f[6]))
        if cur is not None:
            yield t_cur, cur

    def group_fault(self, t, rd):
        alive = {k: r for k, r in rd["r"].items() if not r.get("gone")}
        avgs = [k for k, r in alive.items() if r["role"] == "avg"]
        if len(avgs) != 1:
            return "%d AVGs (%s)" % (len(avgs), " ".join("r%d" % k for k in avgs))
        owners = defaultdict(list)
        for k, r in alive.items():
            for i in r["owned"]:
                owners[i].append(k)
        for i in range(1, self.vmacs + 1):
            if len(owners[i]) != 1:
                return "vMAC %d owned by %s" % (i, " ".join("r%d" % k for k in owners[i]) or "none")
        for mac, port in rd["fdb"] or []:
            i = int(mac.split(":")[5], 16)
            if 1 <= i <= self.vmacs and port != "r%d" % owners[i][0]:
                return "the switch has vMAC %d on %s, its owner is r%d" % (i, port, owners[i][0])
        return None

    def check_samples(self):
        prev_fault, prev_t = None, None
        series = {}  # pid -> [(t, fds, rss)]
        tcp_prev = {}
        for t, rd in self.rounds():
            if self.finish is not None and t > self.finish:
                break
            # exits
            for k, r in rd["r"].items():
                if r.get("gone"):
                    # a round is stamped when it starts and takes a few hundred ms
                    told = [f for f in self.active(t - 1000, t + 1000, {"kill9", "graceful"})
                            if f["router"] == k]
                    if not told:
                        self.bad("exit", t, "r%d's daemon (pid %d) is gone" % (k, r["pid"]))
                else:
                    series.setdefault(r["pid"], []).append((t, r["fds"], r["rss"], k))
            quiet = not [f for f in self.faults
                         if f["begin"] <= t + 300 and self.healed_at(f) + 2 * self.hello + 300 > t]
            # status against the pinned maps, on a healed group: while a split
            # brain lasts a table may flip and flip back between the reads
            for m in rd.get("maps", []):
                k, verdict = m.split(" ", 2)[:2]
                if verdict == "moving" or not quiet:
                    continue
                self.checks["status against pinned maps"] += 1
                if verdict != "agree":
                    self.bad("status", t, "r%s: %s" % (k, m.split(" ", 2)[2]))
            # connections
            for i, (o, rs, fl) in rd["tcp"].items():
                p = tcp_prev.get(i)
                tcp_prev[i] = (o, rs, fl)
                if p and rs + fl > p[1] + p[2]:
                    self.reset(t, "h%d: %d connection(s) reset" % (i, rs + fl - p[1] - p[2]))
                self.checks["connection samples"] += 1
            # the group, healed
            if not quiet:
                prev_fault = None
                continue
            self.checks["healed group samples"] += 1
            fault = self.group_fault(t, rd)
            if fault and prev_fault:
                self.bad("group", t, "%s (and at %d ms: %s)" % (fault, prev_t, prev_fault), [])
                fault = None  # reported; the next pair starts afresh
            prev_fault, prev_t = fault, t
        # descriptors and memory: each daemon's first sample 10 s into its life against its last
        for pid, s in series.items():
            s = [x for x in s if x[0] >= s[0][0] + 10000]
            if len(s) < 2:
                continue
            self.checks["daemon lifetimes"] += 1
            (t1, f1, m1, k), (t2, f2, m2, _) = s[0], s[-1]
            if f2 > f1 + 2:
                self.bad("leak", t2, "r%d (pid %d): %d descriptors, %d at %d ms" % (k, pid, f2, f1, t1), [])
            if m2 > m1 * 1.25 + 2048:
                self.bad("leak", t2, "r%d (pid %d): %d KiB resident, %d at %d ms" % (k, pid, m2, m1, t1), [])

    def lost_at_stop(self, f):
        """A graceful stop that ended with connections handed to it still open (it said so)."""
        if f["kind"] != "graceful":
            return False
        if f["arg"] == "nodrain":
            return True
        stop = f["stopped"] or f["end"]
        for l in read(os.path.join(self.out, "r%d.log" % f["router"])):
            w = l.split(" ", 1)
            if len(w) == 2 and w[0].isdigit() and f["begin"] <= int(w[0]) <= stop + 500 and \
                    "still open" in w[1]:
                return True
        return False

    def reset(self, t, text):
        fs = [f for f in self.active(t - TCP_STALL_MS - self.base - 300, t)
              if f["kind"] in UNPLANNED or self.lost_at_stop(f)]
        self.resets_explained = getattr(self, "resets_explained", 0)
        if fs:
            self.resets_explained += 1
            return
        self.bad("reset", t, text)

    def check_new_connections(self):
        self.new_ok = self.new_failed = 0
        for l in read(os.path.join(self.out, "new")):
            t, i, res = l.split()
            if self.finish is not None and int(t) > self.finish:
                break
            if res == "ok":
                self.new_ok += 1
            else:
                self.new_failed += 1
                self.reset(int(t), "h%s: a new connection failed" % i)

    def check_logs(self):
        for k in range(1, self.routers + 1):
            for l in read(os.path.join(self.out, "r%d.log" % k)):
                self.checks["log lines"] += 1
                if re.search(r"\berror\b", l):
                    self.violations["log"].append("r%d: %s" % (k, l))
        fulls = int(self.p.get("table_fulls_after", 0)) - int(self.p.get("table_fulls_before", 0))
        if fulls > 0:
            self.violations["rig"].append(
                "the kernel's neighbour table (shared by every namespace here) refused %d entries" % fulls)
        for l in self.unfinished:
            self.violations["exit"].append("a stop that did not finish within 30 s: " + l)

    def summary(self):
        by_kind = defaultdict(int)
        for f in self.faults:
            by_kind[f["kind"]] += 1
        print("chaos: seed %s, %s s, %d routers at %d/%d (BASE %d ms)" % (
            self.p["seed"], self.p["secs"], self.routers, int(self.p["hello"]), int(self.p["hold"]),
            self.base))
        print("  faults injected: %d (%s)" % (len(self.faults), ", ".join(
            "%s %d" % kv for kv in sorted(by_kind.items()))))
        print("  checks made: %s" % ", ".join("%d %s" % (v, k) for k, v in sorted(self.checks.items())))
        print("  longest reply gap by fault kind (ms, bound): %s" % ", ".join(
            "%s %d (%d)" % (k, g, b) for k, (g, b) in sorted(self.gap_by_kind.items())))
        if self.all_out_gaps:
            print("  gaps while every router was out at once (nothing could forward): %d, longest %d ms" % (
                len(self.all_out_gaps), max(self.all_out_gaps)))
        opened = sum(int(m.group(1)) for i in range(1, self.hosts + 1)
                     for m in [re.search(r"open (\d+)", (read(os.path.join(self.out, "tcp%d" % i)) or [""])[-1])]
                     if m)
        closed = sum(int(m.group(1)) for i in range(1, self.hosts + 1)
                     for m in [re.search(r"closed (\d+)", (read(os.path.join(self.out, "tcp%d" % i)) or [""])[-1])]
                     if m)
        renewed = sum(int(m.group(1)) for i in range(1, self.hosts + 1)
                      for m in [re.search(r"renewed (\d+)", (read(os.path.join(self.out, "tcp%d" % i)) or [""])[-1])]
                      if m)
        print("  connections: long ones %d closed cleanly at the end (%d open, %d opened anew after resets);"
              " new ones %d ok, %d failed; %d resets or failures explained by unplanned faults" % (
                  closed, opened, renewed, self.new_ok, self.new_failed, getattr(self, "resets_explained", 0)))
        total = sum(len(v) for v in self.violations.values())
        print("  violations: %d%s" % (total, "".join(
            ", %s %d" % (k, len(v)) for k, v in sorted(self.violations.items()))))
        for k, v in sorted(self.violations.items()):
            for line in v[:20]:
                print("    %s: %s" % (k, line))
            if len(v) > 20:
                print("    %s: ... %d more" % (k, len(v) - 20))
        return total


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check.py OUT")
    run = Run(sys.argv[1])
    run.host_routers()
    run.check_pings()
    run.check_samples()
    run.check_new_connections()
    run.check_logs()
    sys.exit(1 if run.summary() else 0)


if __name__ == "__main__":
    main()
