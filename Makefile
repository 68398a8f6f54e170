# ecogov — one entry point: make, make run, make test, make bench, make fuzz, make deps.
#
# Sources are found by wildcard so a new module needs no Makefile edit:
#   src/**/*.c, any depth (minus src/main.c)  -> build/<mode>/libecogov.a
#   src/main.c                     -> build/ecogov            (release, -O2)
#                                     build/asan/ecogov       (debug, ASan+UBSan, used by tests)
#   tests/unit/<module>/test_*.c   -> build/asan/unit/<module>/test_*  (cmocka)
#   tests/fuzz/fuzz_*.c            -> build/fuzz/fuzz_*       (clang libFuzzer + ASan/UBSan)
#   bench/bench_*.c                -> build/bench/bench_*     (release)

PKGS     := libmicrohttpd libevent jansson libsodium sqlite3 xlsxwriter libqrencode libcurl geos proj \
            openblas minizip libxml-2.0 lunar-date-3.0 gobject-2.0
PKGS     += libexif  # EXIF GPS of river-patrol photos (src/domain/river_exif.c)
PKGS     += pangocairo cairo-pdf
CC       ?= cc
CSTD     := -std=c11 -D_GNU_SOURCE
WARN     := -Wall -Wextra -Wshadow -Wno-unused-parameter -Wstrict-prototypes -Wmissing-prototypes
ifdef CI
WARN     += -Werror
endif
INCS     := -Isrc
# Opened at first use by the code that needs them (src/core/dynlib.h), not at
# every start-up: compiled against their headers, not linked.
DLOPEN_PKGS := lunar-date-3.0 gobject-2.0 pangocairo cairo-pdf openblas geos proj libxml-2.0
DLOPEN_PKGS += libcurl  # src/net/curl_lazy.c: net/fetch.c and the monitor's HTTP client
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(filter-out $(DLOPEN_PKGS),$(PKGS)) 2>/dev/null) -lcsv -lshp -lpthread -lm

SRCS      := $(filter-out src/main.c,$(shell find src -name '*.c' | sort))
UNIT_SRCS := $(shell find tests/unit -name 'test_*.c' | sort)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
BENCH_SRCS:= $(wildcard bench/bench_*.c)

REL_OBJS  := $(SRCS:src/%.c=build/rel/%.o)
ASAN_OBJS := $(SRCS:src/%.c=build/asan/obj/%.o)
FUZZ_OBJS := $(SRCS:src/%.c=build/fuzz/obj/%.o)

REL_FLAGS  := -O2 -g $(CSTD) $(WARN) $(INCS)
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined $(CSTD) $(WARN) $(INCS)
FUZZ_CC    := clang
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined $(CSTD) $(INCS) -DECOGOV_FUZZ

.PHONY: all run test bench fuzz deps deps-c deps-web web clean format tidy unit integration browser abuse

all: build/ecogov

build/rel/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_FLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/asan/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_FLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/rel/libecogov.a: $(REL_OBJS)
	@rm -f $@; ar rcs $@ $^

build/asan/libecogov.a: $(ASAN_OBJS)
	@rm -f $@; ar rcs $@ $^

build/fuzz/libecogov.a: $(FUZZ_OBJS)
	@rm -f $@; ar rcs $@ $^

build/ecogov: src/main.c build/rel/libecogov.a
	$(CC) $(REL_FLAGS) $(PKG_CFLAGS) $< build/rel/libecogov.a $(PKG_LIBS) -o $@

build/asan/ecogov: src/main.c build/asan/libecogov.a
	$(CC) $(ASAN_FLAGS) $(PKG_CFLAGS) $< build/asan/libecogov.a $(PKG_LIBS) -o $@

build/asan/unit/%: tests/unit/%.c build/asan/libecogov.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_FLAGS) $(PKG_CFLAGS) -MMD -MP -MF $@.d $< build/asan/libecogov.a $(PKG_LIBS) -lcmocka -o $@

build/fuzz/%: tests/fuzz/%.c build/fuzz/libecogov.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) $< build/fuzz/libecogov.a $(PKG_LIBS) -o $@

build/bench/%: bench/%.c build/rel/libecogov.a
	@mkdir -p $(dir $@)
	$(CC) $(REL_FLAGS) $(PKG_CFLAGS) $< build/rel/libecogov.a $(PKG_LIBS) -o $@

UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=build/asan/unit/%)
FUZZ_BINS  := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
BENCH_BINS := $(BENCH_SRCS:bench/%.c=build/bench/%)

-include $(REL_OBJS:.o=.d) $(ASAN_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d) $(UNIT_BINS:=.d)

# ---- dependencies: Debian packages and npm packages, installed only when missing ----
deps: deps-c deps-web

deps-c:
	@scripts/deps.sh

deps-web: deps-c
	@scripts/deps-web.sh

# ---- web UI ----
WEB_SRCS := $(shell find web/src web/public web/index.html web/vite.config.js web/package.json web/package-lock.json -type f 2>/dev/null)
web/dist/index.html: $(WEB_SRCS)
	cd web && npx vite build --logLevel warn
	find web/dist -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' -o -name '*.geojson' \) -size +1k -exec gzip -9kf {} \;
	touch web/dist/index.html

web: deps-web web/dist/index.html

# ---- the two commands ----
run: deps build/ecogov web/dist/index.html
	@scripts/run.sh

test: deps build/ecogov build/asan/ecogov $(UNIT_BINS) $(FUZZ_BINS) web/dist/index.html
	@scripts/test.sh

unit: build/asan/ecogov $(UNIT_BINS)
	@scripts/test.sh unit

integration: build/asan/ecogov
	@scripts/test.sh integration

browser: build/asan/ecogov web/dist/index.html
	@scripts/test.sh browser

abuse: build/asan/ecogov
	@scripts/test.sh abuse

fuzz: $(FUZZ_BINS)
	@scripts/fuzz.sh $(FUZZ_SECONDS)

bench: deps-c build/ecogov $(BENCH_BINS) web/dist/index.html
	@scripts/bench.sh

format:
	clang-format -i $(shell find src tests bench -name '*.[ch]')

tidy:
	clang-tidy $(SRCS) -- $(CSTD) $(INCS) $(PKG_CFLAGS)

clean:
	rm -rf build
