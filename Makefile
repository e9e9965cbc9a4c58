# vgw: build the BPF objects, their skeletons and the vgw binary; run tests.
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
BUILD := build

CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror
CPPFLAGS += -Iinclude -I$(BUILD) -Iloader
LDLIBS := -lxdp -lbpf -lelf -lz -ljson-c -lmnl -lcrypto -lsystemd -lmicrohttpd -lpthread -lm
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
UNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/vgw
MANDIR ?= $(PREFIX)/share/man
MANPAGES := $(BUILD)/man/vgw.8 $(BUILD)/man/vgw.conf.5
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Wextra -Werror \
	-Ivmlinux -Iinclude

BPF_NAMES := vgw_xdp vgw_tc vgw_state vgw_beat
BPF_OBJS := $(BPF_NAMES:%=$(BUILD)/%.bpf.o)
SKELS := $(BPF_NAMES:%=$(BUILD)/%.skel.h)
LOADER_SRCS := $(filter-out loader/main.c,$(wildcard loader/*.c))
LOADER_OBJS := $(LOADER_SRCS:loader/%.c=$(BUILD)/loader/%.o)
HEADERS := $(wildcard include/*.h loader/*.h bpf/*.h)

UNIT_SRCS := $(wildcard tests/unit/*.c)
BPFTEST_SRCS := $(wildcard tests/bpf/*.c)

.SECONDARY:
.DELETE_ON_ERROR:
.PHONY: all check-build-deps deps test test-kernels demo chaos bench bench-failover sim fuzz clean format check-format install uninstall man deb

# plain make: first one line per missing package, rather than a compiler's error
all: check-build-deps $(BUILD)/vgw

check-build-deps:
	@bash tests/tools/deps.sh --check

deps:
	@bash tests/tools/deps.sh

$(BUILD)/%.bpf.o: bpf/%.bpf.c $(HEADERS) | $(BUILD)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/empty.bpf.o: tests/bench/empty.bpf.c | $(BUILD)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/fwd.bpf.o: tests/bench/fwd.bpf.c | $(BUILD)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/reject.bpf.o: tests/unit/bpf/reject.bpf.c | $(BUILD)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $* > $@

$(BUILD)/loader/%.o: loader/%.c $(HEADERS) $(SKELS) | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libvgw.a: $(LOADER_OBJS)
	$(AR) rcs $@ $^

$(BUILD)/vgw: $(BUILD)/loader/main.o $(BUILD)/libvgw.a
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/unit-tests: $(UNIT_SRCS) $(BUILD)/libvgw.a $(HEADERS) $(BUILD)/reject.bpf.o
	$(CC) $(CPPFLAGS) -DVGW_REJECT_OBJ='"$(abspath $(BUILD))/reject.bpf.o"' $(CFLAGS) \
		$(UNIT_SRCS) $(BUILD)/libvgw.a -o $@ $(LDLIBS) -lcriterion

$(BUILD)/bpf-tests: $(BPFTEST_SRCS) $(wildcard tests/bpf/*.h) $(BUILD)/libvgw.a $(SKELS) $(HEADERS)
	$(CC) $(CPPFLAGS) -Itests/bpf $(CFLAGS) $(BPFTEST_SRCS) $(BUILD)/libvgw.a -o $@ \
		$(LDLIBS) -lcriterion

$(BUILD)/vgw-hello-inject: tests/tools/hello_inject.c $(BUILD)/libvgw.a $(HEADERS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(BUILD)/libvgw.a -o $@ $(LDLIBS)

# libFuzzer targets: the decoder and the config parser, with ASan and UBSan
FUZZ_CFLAGS := -g -O1 -std=gnu11 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
FUZZ_SECS ?= 60

$(BUILD)/fuzz-hello: tests/fuzz/fuzz_hello.c loader/hello.c $(HEADERS) | $(BUILD)
	$(CLANG) $(CPPFLAGS) $(FUZZ_CFLAGS) tests/fuzz/fuzz_hello.c loader/hello.c -o $@ -lcrypto

$(BUILD)/fuzz-config: tests/fuzz/fuzz_config.c loader/cli.c loader/cli_table.c $(HEADERS) | $(BUILD)
	$(CLANG) $(CPPFLAGS) $(FUZZ_CFLAGS) tests/fuzz/fuzz_config.c loader/cli.c loader/cli_table.c \
		-o $@

$(BUILD)/vgw-verifier-cost: tests/tools/verifier_cost.c $(SKELS) $(HEADERS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@ $(LDLIBS)

$(BUILD)/vgw-vmac-send: tests/tools/vmac_send.c $(HEADERS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@

$(BUILD)/vgw-arp-flood: tests/tools/arp_flood.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@

$(BUILD)/vgw-notify-listen: tests/tools/notify_listen.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@

$(BUILD)/vgw-sim: tests/sim/sim.c $(BUILD)/libvgw.a $(HEADERS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(BUILD)/libvgw.a -o $@ $(LDLIBS)

$(BUILD)/vgw-bench: tests/bench/bench.c $(SKELS) $(BUILD)/empty.skel.h $(HEADERS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@ $(LDLIBS)

$(BUILD)/vgw-bench-balance: tests/bench/balance_bench.c $(BUILD)/libvgw.a $(HEADERS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(BUILD)/libvgw.a -o $@ $(LDLIBS)

$(BUILD)/vgw-trafficgen: tests/bench/trafficgen.c $(BUILD)/fwd.skel.h
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -o $@ $(LDLIBS)

$(BUILD):
	@mkdir -p $@

test: deps all $(BUILD)/unit-tests $(BUILD)/bpf-tests $(BUILD)/empty.bpf.o $(BUILD)/vgw-hello-inject \
	$(BUILD)/vgw-vmac-send $(BUILD)/vgw-arp-flood $(BUILD)/vgw-notify-listen $(BUILD)/vgw-sim \
	$(BUILD)/fuzz-hello $(BUILD)/fuzz-config $(BUILD)/vgw-verifier-cost $(BUILD)/vgw-man-page
	@bash tests/run.sh

# The kernel matrix alone (make test runs it too): Debian 12's own kernel in a
# QEMU guest and this machine's kernel, BPF fixtures, a short e2e and each
# program's verifier cost on each (KERNELS=, KERNEL_SUITES=: tests/kernels/run.sh).
test-kernels: deps all $(BUILD)/bpf-tests $(BUILD)/vgw-verifier-cost
	@bash tests/kernels/run.sh

demo: deps all
	@bash tests/demo.sh

# Per-packet cost (bpf_prog_test_run_opts), each program's verifier cost per
# kernel (the kernel matrix's, else this kernel's), forwarding rates through a router
# namespace (about two minutes; tests/bench/fwd.sh says what each case is), and
# the group at its largest: the AVG's balance round, the daemons' CPU and memory.
bench: deps all $(BUILD)/vgw-bench $(BUILD)/vgw-bench-balance $(BUILD)/vgw-trafficgen \
	$(BUILD)/empty.bpf.o $(BUILD)/vgw-verifier-cost
	@$(BUILD)/vgw-bench
	@echo
	@bash tests/kernels/verifier-table.sh
	@echo
	@bash tests/bench/fwd.sh
	@echo
	@$(BUILD)/vgw-bench-balance
	@bash tests/bench/scale.sh

# vgw's failover gaps beside keepalived's at equal detection settings (a few minutes).
bench-failover: deps all
	@bash tests/bench/failover.sh

# Each fuzz target for FUZZ_SECS seconds from the committed seed corpus (make test: 5 s).
fuzz: deps $(BUILD)/fuzz-hello $(BUILD)/fuzz-config
	@bash tests/fuzz/run.sh $(FUZZ_SECS)

# The balancer at scale: a table of methods side by side and build/sim/sim.png.
# make chaos [CHAOS_SEED=N] [CHAOS_MINUTES=10] [CHAOS_ROUTERS=3] [CHAOS_TIMERS=100/300]:
# a seeded fault soak with the group's promises checked throughout (tests/chaos/run.sh)
chaos: deps all $(BUILD)/empty.bpf.o $(BUILD)/vgw-hello-inject $(BUILD)/vgw-arp-flood
	@bash tests/chaos/run.sh

sim: deps $(BUILD)/vgw-sim
	@mkdir -p $(BUILD)/sim
	@$(BUILD)/vgw-sim -o $(BUILD)/sim $(SIM_ARGS)
	@gnuplot $(BUILD)/sim/sim.gp && echo "plot: $(BUILD)/sim/sim.png"

format:
	@bash tests/tools/deps.sh
	clang-format -i bpf/*.c bpf/*.h include/*.h loader/*.c loader/*.h tests/*/*.c tests/*/*.h

check-format: deps
	clang-format --dry-run --Werror bpf/*.c bpf/*.h include/*.h loader/*.c loader/*.h \
		tests/*/*.c tests/*/*.h

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, the systemd template
# unit (vgw@IFACE reads /etc/vgw/IFACE.conf) and the annotated example config
# man pages from their scdoc templates, whose option lists the option table fills
# in (vgw-man-page fails on an option a page lacks)
man: $(MANPAGES)

$(BUILD)/vgw-man-page: tests/tools/man_page.c $(BUILD)/libvgw.a $(HEADERS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(BUILD)/libvgw.a -o $@ $(LDLIBS)

$(BUILD)/man/vgw.8.scd: docs/man/vgw.8.scd.in $(BUILD)/vgw-man-page
	@mkdir -p $(BUILD)/man
	$(BUILD)/vgw-man-page <$< >$@

$(BUILD)/man/vgw.conf.5.scd: docs/man/vgw.conf.5.scd.in $(BUILD)/vgw-man-page
	@mkdir -p $(BUILD)/man
	$(BUILD)/vgw-man-page --conf <$< >$@

$(BUILD)/man/%: $(BUILD)/man/%.scd
	scdoc <$< >$@

# (the unit names the binary where it is installed: made at each install)
install: all $(MANPAGES)
	install -D -m 0644 $(BUILD)/man/vgw.8 $(DESTDIR)$(MANDIR)/man8/vgw.8
	install -D -m 0644 $(BUILD)/man/vgw.conf.5 $(DESTDIR)$(MANDIR)/man5/vgw.conf.5
	install -D -m 0755 $(BUILD)/vgw $(DESTDIR)$(SBINDIR)/vgw
	install -d -m 0755 $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g' packaging/vgw@.service.in >$(DESTDIR)$(UNITDIR)/vgw@.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vgw@.service
	install -D -m 0644 packaging/vgw.conf.example $(DESTDIR)$(DOCDIR)/examples/vgw.conf
	install -d -m 0755 $(DESTDIR)/etc/vgw

# build/deb/vgw_VERSION_ARCH.deb (debhelper), checked by lintian
deb: deps
	@bash packaging/build-deb.sh

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/vgw $(DESTDIR)$(UNITDIR)/vgw@.service \
		$(DESTDIR)$(DOCDIR)/examples/vgw.conf $(DESTDIR)$(MANDIR)/man8/vgw.8 \
		$(DESTDIR)$(MANDIR)/man5/vgw.conf.5

clean:
	rm -rf $(BUILD)
