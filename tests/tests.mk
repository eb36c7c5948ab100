# tests/tests.mk - the test targets; included by the Makefile.
#
#   make test           deps, then: check-layers, unit, api, ui, san, fuzz (stops at the first failure)
#   make check-layers   the layering rule of docs/architecture.md (scripts/check-layers.sh)
#   make unit           cmocka tests: tests/unit/test_*.c -> $(BUILD)/tests/, each run
#   make api            pytest tests/api against $(BUILD)/ceptoar (CEPTOAR_BIN)
#   make ui             the web UI in Debian's Chromium: ui/test/*.test.mjs (node --test,
#                       playwright-core); screenshots for review in $(BUILD)/ui-screenshots
#   make san            unit and api again, built with ASan+UBSan (clang) into build-san/
#   make fuzz           libFuzzer targets fuzz/fuzz_*.c, FUZZ_SECONDS (20) each, into build-fuzz/
#
# Every stage is a recursive make, so `make test` works from a fresh clone.

PYTHON        := /usr/bin/python3
FUZZ_SECONDS  ?= 20
FUZZ_CC       ?= clang
FUZZ_BUILD    := build-fuzz
SAN_BUILD     := build-san

# Runtime options of the sanitizers, for `san` (and the fuzzers).
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell pkg-config --libs cmocka 2>/dev/null)

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

FUZZ_SRC     := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_SRC:fuzz/%.c=$(FUZZ_BUILD)/%)
# The library again, every object compiled with the fuzzer's flags, so that a
# fuzzer links only what it uses (fuzz_json and fuzz_csv: base/ alone).
FUZZ_LIB_OBJ := $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o) $(FUZZ_BUILD)/obj/gen/refdata.o \
		$(FUZZ_BUILD)/obj/gen/uiassets.o $(FUZZ_BUILD)/obj/gen/plansamples.o
FUZZ_CFLAGS  := -std=c17 -D_GNU_SOURCE -pthread -fopenmp -O1 -g -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(WARN) -Isrc

# ---- test: everything, in order, fail fast ----------------------------------
test: deps
	@printf '\n======== [1/6] check-layers ========\n'
	@$(MAKE) --no-print-directory check-layers
	@printf '\n======== [2/6] unit (%s) ========\n' '$(BUILD)'
	@$(MAKE) --no-print-directory unit
	@printf '\n======== [3/6] api (%s) ========\n' '$(BUILD)'
	@$(MAKE) --no-print-directory api
	@printf '\n======== [4/6] ui: the web UI in Chromium (%s) ========\n' '$(BUILD)'
	@$(MAKE) --no-print-directory ui
	@printf '\n======== [5/6] san: unit + api under ASan+UBSan (%s) ========\n' '$(SAN_BUILD)'
	@$(MAKE) --no-print-directory san
	@printf '\n======== [6/6] fuzz (%s s per target) ========\n' '$(FUZZ_SECONDS)'
	@$(MAKE) --no-print-directory fuzz
	@printf '\n======== make test: all stages passed ========\n'

# ---- layering ----------------------------------------------------------------
check-layers:
	@scripts/check-layers.sh
	@scripts/check-layers.sh --self-test

# ---- unit tests (cmocka) -----------------------------------------------------
$(UNIT_BIN): $(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libceptoar.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< \
		$(BUILD)/libceptoar.a $(CMOCKA_LIBS) $(PKG_LIBS) $(LDLIBS)

-include $(wildcard $(BUILD)/tests/*.d)

unit: $(UNIT_BIN)
	@failed=""; \
	for t in $(UNIT_BIN); do \
		printf '\n---- %s\n' "$$t"; \
		"$$t" || failed="$$failed $${t##*/}"; \
	done; \
	if [ -n "$$failed" ]; then printf '\nunit: FAILED:%s\n' "$$failed"; exit 1; fi; \
	printf '\nunit: %d test programs passed\n' $(words $(UNIT_BIN))

# ---- API tests (pytest against a real server) --------------------------------
# /usr/bin/python3 on purpose: a python earlier on PATH (pyenv) may lack pytest.
api: $(BUILD)/ceptoar
	CEPTOAR_BIN=$(abspath $(BUILD)/ceptoar) $(PYTHON) -m pytest -q -p no:cacheprovider tests/api

# ---- the web UI in a real browser ---------------------------------------------
ui: $(BUILD)/ceptoar
	@rm -rf $(BUILD)/ui-screenshots
	cd ui && CEPTOAR_BIN=$(abspath $(BUILD)/ceptoar) SCREENSHOTS=$(abspath $(BUILD)/ui-screenshots) \
		node --test --test-concurrency=1 test/*.test.mjs
	@printf 'ui: screenshots in %s\n' '$(BUILD)/ui-screenshots'

# ---- sanitizers --------------------------------------------------------------
san:
	$(SAN_ENV) $(MAKE) --no-print-directory BUILD=$(SAN_BUILD) SAN=1 CC=clang unit api

# ---- fuzzing (libFuzzer) -----------------------------------------------------
$(filter-out %/refdata.o %/uiassets.o %/plansamples.o,$(FUZZ_LIB_OBJ)): $(FUZZ_BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/obj/gen/refdata.o: $(BUILD)/gen/refdata.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/obj/gen/uiassets.o: $(BUILD)/gen/uiassets.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/obj/gen/plansamples.o: $(BUILD)/gen/plansamples.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/libceptoar.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

-include $(shell find $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)

$(FUZZ_BIN): $(FUZZ_BUILD)/%: fuzz/%.c $(FUZZ_BUILD)/libceptoar.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -MMD -MP -o $@ $< $(FUZZ_BUILD)/libceptoar.a \
		$(PKG_LIBS) $(LDLIBS)

-include $(wildcard $(FUZZ_BUILD)/*.d)

# New inputs go to build-fuzz/corpus/NAME; fuzz/corpus/NAME holds the committed
# seeds (fuzz_json.c -> fuzz/corpus/json). The log of a run is build-fuzz/NAME.log;
# crashes are written to build-fuzz/ as crash-*, leak-*, timeout-*: rerun one
# with `build-fuzz/fuzz_NAME FILE`.
fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
		name=$${f##*/fuzz_}; log=$(FUZZ_BUILD)/$$name.log; \
		mkdir -p $(FUZZ_BUILD)/corpus/$$name fuzz/corpus/$$name; \
		printf -- '---- %s, %s s (log: %s)\n' "$$f" '$(FUZZ_SECONDS)' "$$log"; \
		if ! $(SAN_ENV) "$$f" -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=30 \
			-print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/ \
			$(FUZZ_BUILD)/corpus/$$name fuzz/corpus/$$name >"$$log" 2>&1; then \
			tail -n 120 "$$log"; printf '\nfuzz: %s FAILED (full log: %s)\n' "$$f" "$$log"; \
			exit 1; \
		fi; \
		grep -E '^(Done|stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb)' "$$log"; \
	done
