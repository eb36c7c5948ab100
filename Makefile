# ceptoar - build, test, run.  `make run` and `make test` are the two commands.
#
#   make            build build/ceptoar (the web UI in ui/ is built and compiled in)
#   make run        install what is missing, build, init var/ceptoar.db, serve on 127.0.0.1:8080
#   make test       install what is missing, build, and run every test
#   make bench      run the benchmarks in bench/ (writes bench/RESULTS.md)
#   make deps       install the Debian packages the project and its tests need (make run
#                   installs only what the server needs; the UI's npm packages come with the build)
#
# Variables: BUILD (output folder), SAN=1 (ASan+UBSan build), CC, ANALYSIS_OPT.

CC      ?= cc
BUILD   ?= build
PKGS    := libmicrohttpd jansson sqlite3 libsodium libcurl
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -D_GNU_SOURCE -pthread -fopenmp $(WARN) -Isrc -I$(BUILD)/gen
LDLIBS  += -pthread -fopenmp -lm
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

# pkg-config is only asked when building, so `make deps` works on a bare machine.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)


LIB_DIRS := base core store audit registry identity share drill deliver analysis jobs exercise \
	    plan standards survey http
LIB_SRC  := $(foreach d,$(LIB_DIRS),$(wildcard src/$(d)/*.c))
CLI_SRC  := $(wildcard src/cli/*.c)
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/refdata.o $(BUILD)/obj/gen/uiassets.o \
	    $(BUILD)/obj/gen/plansamples.o
CLI_OBJ  := $(CLI_SRC:src/%.c=$(BUILD)/obj/%.o)
REFDATA  := $(sort $(wildcard data/reference/*.json))
SAMPLES  := $(sort $(wildcard data/samples/*.json))

.PHONY: all run test deps deps-run unit api ui fuzz san check-layers bench clean help
all: $(BUILD)/ceptoar

help:
	@sed -n '2,11p' Makefile | sed 's/^# \{0,1\}//'

$(BUILD)/ceptoar: $(CLI_OBJ) $(BUILD)/libceptoar.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

$(BUILD)/libceptoar.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

# The analysis engine's kernels are built at -O3, after CFLAGS: the static
# cascade 3.5% and a Monte Carlo trial 2% faster than at -O2 (bench/ab, the
# same results to the bit: neither level changes floating point under
# -std=c17). ANALYSIS_OPT= builds them as the rest.
ANALYSIS_OPT ?= -O3
$(BUILD)/obj/analysis/%.o: CFLAGS += $(ANALYSIS_OPT)

# Reference data (data/reference/*.json) is compiled into the binary.
$(BUILD)/tools/bin2c: tools/bin2c.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/gen/refdata.c: $(BUILD)/tools/bin2c $(REFDATA)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/bin2c $(REFDATA) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/refdata.o: $(BUILD)/gen/refdata.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# Sample data (data/samples/*.json: plans to load with `ceptoar plan load-sample`).
$(BUILD)/gen/plansamples.c: $(BUILD)/tools/bin2c $(SAMPLES)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/bin2c -i plan/samples.h -s plan_sample_file -t plan_sample_files \
		$(SAMPLES) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/plansamples.o: $(BUILD)/gen/plansamples.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# The web UI (ui/): npm packages from the committed lockfile, bundled by esbuild
# into $(BUILD)/ui, compiled into the binary (src/http/assets.h).
UI_SRC   := $(sort $(wildcard ui/src/*.* ui/src/pages/*.*)) ui/build.mjs

ui/node_modules/.installed: ui/package-lock.json ui/package.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(BUILD)/ui/.built: ui/node_modules/.installed $(UI_SRC)
	@mkdir -p $(dir $@)
	node ui/build.mjs $(BUILD)/ui
	@touch $@

$(BUILD)/gen/uiassets.c: $(BUILD)/tools/bin2c $(BUILD)/ui/.built
	@mkdir -p $(dir $@)
	$(BUILD)/tools/bin2c -i http/assets.h -s http_asset -t http_assets \
		$$(sed 's|^|$(BUILD)/ui/|' $(BUILD)/ui/files.txt) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/uiassets.o: $(BUILD)/gen/uiassets.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

deps:
	@scripts/install-deps.sh --test

deps-run:
	@scripts/install-deps.sh

# ---- run -------------------------------------------------------------------
RUN_DB     ?= var/ceptoar.db
RUN_LISTEN ?= 127.0.0.1:8080
run: deps-run
	@$(MAKE) --no-print-directory all
	@mkdir -p $(dir $(RUN_DB))
	$(BUILD)/ceptoar --db $(RUN_DB) init
	$(BUILD)/ceptoar --db $(RUN_DB) serve --listen $(RUN_LISTEN)

# ---- tests -----------------------------------------------------------------
include tests/tests.mk

bench: all
	@bench/run.sh

clean:
	rm -rf build build-san build-fuzz ui/node_modules
