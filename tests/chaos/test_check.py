#!/usr/bin/env python3
"""The chaos soak's judge on made-up records: each invariant flags what breaks
it, and lets pass what a fault explains. Run by make test (tests/run.sh)."""
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402

HOSTS = 2
T0 = 1_000_000  # the record's clock: ms since the epoch when the traffic started
MAC = "02:76:67:00:10:%02x"


class Record:
    """A run's OUT directory: 2 routers, 2 hosts, 2 vMACs, 100/300 timers."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="vgw-chaos-test.")
        self.events = ["0 start", "0 traffic"]
        self.rounds = {}  # t -> lines
        self.pings = {i: [] for i in range(1, HOSTS + 1)}
        self.logs = {1: [], 2: []}
        self.table_fulls = (0, 0)

    def event(self, t, *words):
        self.events.append(" ".join(str(w) for w in (t,) + words))

    def fault(self, kind, router, begin, end, arg=""):
        self.event(begin, "begin", kind, router, arg)
        self.event(end, "end", kind, router)

    def round(self, t, roles=("avg", "standby"), owned=([1], [2]), gone=(), maps=(), arp=(1, 2),
              fdb=None, tcp=None):
        lines = []
        for k in (1, 2):
            if k in gone:
                lines.append("%d r %d %d gone" % (t, k, 100 + k))
            else:
                st = json.dumps({"role": roles[k - 1], "owned": owned[k - 1]})
                lines.append("%d r %d %d alive 20 4000 %s" % (t, k, 100 + k, st))
        if fdb is None:
            fdb = [[MAC % i, "r%d" % k] for k in (1, 2) for i in owned[k - 1]]
        lines.append("%d fdb %s" % (t, json.dumps(fdb)))
        for i in range(1, HOSTS + 1):
            o, rs, fl = (tcp or {}).get(i, (2, 0, 0))
            lines.append("%d tcp %d open %d reset %d failed %d" % (t, i, o, rs, fl))
            lines.append("%d arp %d 10.77.0.1 lladdr %s REACHABLE" % (t, i, MAC % arp[i - 1]))
        for m in maps:
            lines.append("%d maps %s" % (t, m))
        self.rounds[t] = lines

    def steady(self, upto, step=300, **kw):
        for t in range(0, upto + 1, step):
            if t not in self.rounds:
                self.round(t, **kw)

    def replies(self, host, times):
        for n, t in enumerate(times):
            self.pings[host].append("[%.3f] 64 bytes from 10.78.0.100: icmp_seq=%d ttl=63 time=0.1 ms"
                                    % ((T0 + t) / 1000, n + 1))

    def judge(self, finish):
        """The violations by kind; a host given no replies was answered every 20 ms."""
        self.event(finish, "finish")
        for i in range(1, HOSTS + 1):
            if not self.pings[i]:
                self.replies(i, every(0, finish))
        def w(name, lines):
            with open(os.path.join(self.dir, name), "w") as f:
                f.write("".join(l + "\n" for l in lines))

        w("params", ["seed=1", "secs=60", "routers=2", "hello=100", "hold=300", "hosts=%d" % HOSTS,
                     "vmacs=2", "t0=%d" % T0, "table_fulls_before=%d" % self.table_fulls[0],
                     "table_fulls_after=%d" % self.table_fulls[1]])
        w("schedule", [])
        w("events", sorted(self.events, key=lambda l: int(l.split()[0])))
        w("samples", [l for t in sorted(self.rounds) for l in self.rounds[t]])
        for i, lines in self.pings.items():
            w("ping%d" % i, lines)
        for k, lines in self.logs.items():
            w("r%d.log" % k, lines)
        run = check.Run(self.dir)
        run.host_routers()
        run.check_pings()
        run.check_samples()
        run.check_new_connections()
        run.check_logs()
        shutil.rmtree(self.dir)
        return {k: len(v) for k, v in run.violations.items() if v}


def every(a, b, step=20):
    return list(range(a, b, step))


class Judge(unittest.TestCase):
    def test_a_calm_run_breaks_nothing(self):
        r = Record()
        r.steady(10000)
        self.assertEqual(r.judge(10000), {})

    def test_a_gap_with_no_fault_is_one(self):
        r = Record()
        r.steady(10000)
        r.replies(1, every(0, 4000) + every(5000, 10000))  # 1 s > 300 + 200 + 150
        r.replies(2, every(0, 10000))
        self.assertEqual(r.judge(10000), {"gap": 1})

    def test_a_gap_within_a_kill_of_the_hosts_own_router_is_explained(self):
        r = Record()
        r.steady(10000)
        r.fault("kill9", 1, 4000, 4500)  # r1 has h1's vMAC 1
        r.replies(1, every(0, 4000) + every(4700, 10000))
        r.replies(2, every(0, 10000))
        self.assertEqual(r.judge(10000), {})

    def test_a_gap_during_a_kill_of_another_router_is_not(self):
        r = Record()
        r.steady(10000)
        r.fault("kill9", 2, 4000, 4500)  # h1's vMAC is on r1 throughout
        r.replies(1, every(0, 4000) + every(4700, 10000))
        r.replies(2, every(0, 10000))
        self.assertEqual(r.judge(10000), {"gap": 1})

    def test_a_gap_while_every_router_is_out_lasts_until_the_first_is_back(self):
        r = Record()
        r.steady(10000)
        r.fault("up_flap", 1, 3000, 5000)  # planned on its own: no excuse
        r.replies(1, every(0, 4000) + every(5500, 10000))
        self.assertEqual(r.judge(10000), {"gap": 1})
        r = Record()
        r.steady(10000)
        r.fault("up_flap", 1, 3000, 5000)
        r.fault("up_flap", 2, 3900, 5200)  # both out: nothing could forward until 5000
        r.replies(1, every(0, 4000) + every(5500, 10000))
        self.assertEqual(r.judge(10000), {})
        r = Record()
        r.steady(10000)
        r.fault("up_flap", 1, 3000, 5000)
        r.fault("up_flap", 2, 3900, 5200)
        r.replies(1, every(0, 4000) + every(5700, 10000))  # past 5000 + BASE 650
        self.assertEqual(r.judge(10000), {"gap": 1})

    def test_a_duplicate_far_from_any_fault_is_one(self):
        r = Record()
        r.steady(10000)
        r.replies(1, every(0, 10000))
        r.pings[1].append(r.pings[1][100] + " (DUP!)")
        r.replies(2, every(0, 10000))
        self.assertEqual(r.judge(10000), {"duplicate": 1})

    def test_two_avgs_in_two_healed_samples_running_are_one_violation(self):
        r = Record()
        r.round(3000, roles=("avg", "avg"))
        r.round(3300, roles=("avg", "avg"))
        r.steady(10000)
        self.assertEqual(r.judge(10000), {"group": 1})

    def test_a_single_odd_sample_is_not(self):
        r = Record()
        r.round(3000, owned=([1, 2], [2]))
        r.steady(10000)
        self.assertEqual(r.judge(10000), {})

    def test_the_switch_on_the_wrong_port_is_one(self):
        r = Record()
        wrong = [[MAC % 1, "r2"], [MAC % 2, "r2"]]
        r.round(3000, fdb=wrong)
        r.round(3300, fdb=wrong)
        r.steady(10000)
        self.assertEqual(r.judge(10000), {"group": 1})

    def test_status_against_the_maps(self):
        r = Record()
        r.round(3000, maps=["1 agree", "2 moving"])
        r.round(6000, maps=['1 differ status [[1,"owned",null]] maps [[1,"foreign",null]]'])
        r.round(8100, maps=['1 differ status [[1,"owned",null]] maps [[1,"foreign",null]]'])
        r.fault("split", 1, 8000, 8200, "2")  # a table may flip and flip back: not judged
        r.steady(10000)
        self.assertEqual(r.judge(10000), {"status": 1})

    def test_a_reset_with_no_fault_is_one_and_a_stop_without_drain_explains_it(self):
        r = Record()
        r.steady(10000, tcp={1: (2, 1, 0)})
        r.round(3000)  # before: none reset
        for t in range(0, 3000, 300):
            r.round(t)
        self.assertEqual(r.judge(10000), {"reset": 1})
        r = Record()
        r.steady(10000, tcp={1: (2, 1, 0)})
        for t in range(0, 3300, 300):
            r.round(t)
        r.fault("graceful", 1, 2000, 4000, "nodrain")
        self.assertEqual(r.judge(10000), {})

    def test_a_daemon_gone_untold_is_an_exit_and_a_kill_is_not(self):
        r = Record()
        r.round(5100, gone=(2,))
        r.steady(10000)
        self.assertEqual(r.judge(10000), {"exit": 1})
        r = Record()
        r.round(5100, gone=(2,))
        r.fault("kill9", 2, 5000, 5200)
        r.steady(10000)
        self.assertEqual(r.judge(10000), {})

    def test_an_error_log_line_is_one(self):
        r = Record()
        r.steady(10000)
        r.logs[1] = ["100 vgw: lan0: error: cannot do a thing", "200 vgw: lan0: hello"]
        self.assertEqual(r.judge(10000), {"log": 1})

    def test_a_full_neighbour_table_makes_the_run_suspect(self):
        r = Record()
        r.steady(10000)
        r.table_fulls = (536, 540)
        self.assertEqual(r.judge(10000), {"rig": 1})


if __name__ == "__main__":
    unittest.main()
