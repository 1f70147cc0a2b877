#!/usr/bin/env bash
# Whole-process benchmarks of issue 7, printed as one report (also saved to
# target/bench/report.md):
#   (a) lint all of the shared corpus;
#   (b) stacklint and cfn-lint 1.58.0 on the CloudFormation templates of
#       aws-cloudformation-templates: stacklint over 20+ runs, cfn-lint over
#       CFN_LINT_RUNS, and the ratio of their means;
#   (c) one typical 50 KB template as a fresh process, next to `cat` of the same file;
#   (d) the generated 5 MB / 4,000-resource template: `cargo bench` (parse only vs full
#       lint vs the bare saphyr-parser event loop, in MiB/s), plus instruction counts
#       under callgrind when valgrind is installed;
#   (e) 1, 10, 100 and 1,000 copies of the (b) templates: time and peak memory;
#   (f) peak memory against the size of one generated ~20 MB and ~100 MB template;
#   (g) the language server's latency from an edit to its diagnostics (cargo bench).
# Each target of issue 16 is printed as a ratio next to its bound.
#
# Usage: benches/compare.sh [a] [b] [c] [d] [e] [f] [g]     (no argument: all of them)
# Installs what it needs: hyperfine (apt-get, when run as root; otherwise it says
# what to install) and cfn-lint 1.58.0 in a virtualenv under target/bench/venv.
# Figures are wall-clock: note the load average printed with them.
# Environment: CORPUS (default ../shared/corpus), CFN_LINT_RUNS (default 3, cfn-lint's runs in (b)),
# SCALE_COPIES (default "1 10 100 1000"), BENCH_TMP (default $TMPDIR or /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."

CORPUS=${CORPUS:-../shared/corpus}
CFN_SET=aws-cloudformation__aws-cloudformation-templates
TYPICAL=aws-samples__serverless-patterns/msk-lambda-schema-avro-java-sam/MSKAndKafkaClientEC2.yaml
OUT=$PWD/target/bench
SCRATCH=${BENCH_TMP:-${TMPDIR:-/tmp}}/stacklint-bench
BIN=$PWD/target/release/stacklint
mkdir -p "$OUT" "$SCRATCH"
REPORT=$OUT/report.md
steps=${*:-a b c d e f g}

say() { printf '%s\n' "$@" | tee -a "$REPORT"; }

need_hyperfine() {
    command -v hyperfine >/dev/null && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
    else
        echo "hyperfine is needed: apt-get install hyperfine (Debian) or cargo install hyperfine" >&2
        exit 2
    fi
}

need_cfn_lint() {
    CFN_LINT=$OUT/venv/bin/cfn-lint
    if ! "$CFN_LINT" --version 2>/dev/null | grep -q '1\.58\.0'; then
        python3 -m venv "$OUT/venv"
        "$OUT/venv/bin/pip" install -q cfn-lint==1.58.0
    fi
}

# The CloudFormation and SAM templates of the set, as the corpus index lists them.
cfn_templates() {
    awk -F'\t' -v set="$CFN_SET/" \
        'NR > 1 && index($1, set) == 1 && ($3 == "cfn" || $3 == "sam") { print $1 }' \
        "$CORPUS/INDEX.tsv"
}

machine() {
    say "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg) at start; $(date -u +%Y-%m-%dT%H:%MZ)"
}

[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (set CORPUS)" >&2; exit 2; }
: > "$REPORT"
machine
cargo build --release --quiet
need_hyperfine

for step in $steps; do
    case $step in
    a)
        say "" "## (a) the whole corpus: $(find "$CORPUS" -type f | wc -l) files, $(du -sh "$CORPUS" | cut -f1)"
        hyperfine -N -i --warmup 2 --min-runs 10 --style basic \
            --export-markdown "$OUT/a.md" \
            "$BIN --format compact $CORPUS"
        cat "$OUT/a.md" >> "$REPORT"
        ;;
    b)
        need_cfn_lint
        mapfile -t files < <(cfn_templates)
        bytes=$(cd "$CORPUS" && cat "${files[@]}" | wc -c)
        say "" "## (b) ${#files[@]} templates of $CFN_SET ($bytes bytes): stacklint vs $("$CFN_LINT" --version)"
        # Relative paths keep the command lines short; both tools get the same list.
        # Each tool has its own run count: cfn-lint takes ~30 s a run, stacklint ~80 ms,
        # whose one sample would be noise (hyperfine gives one count to all commands).
        (cd "$CORPUS" && hyperfine -N -i --warmup 3 --min-runs 20 --style basic \
            --export-json "$OUT/b-stacklint.json" --export-markdown "$OUT/b-stacklint.md" \
            -n stacklint "$BIN --format compact ${files[*]}") 2>&1 | tee "$OUT/b.txt"
        (cd "$CORPUS" && hyperfine -N -i --runs "${CFN_LINT_RUNS:-3}" --style basic \
            --export-json "$OUT/b-cfn-lint.json" --export-markdown "$OUT/b-cfn-lint.md" \
            -n cfn-lint "$CFN_LINT ${files[*]}") 2>&1 | tee -a "$OUT/b.txt"
        cat "$OUT/b-stacklint.md" >> "$REPORT"
        say ""
        cat "$OUT/b-cfn-lint.md" >> "$REPORT"
        mean() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$1"; }
        say "" "- cfn-lint mean / stacklint mean: **$(awk -v c="$(mean "$OUT/b-cfn-lint.json")" -v s="$(mean "$OUT/b-stacklint.json")" 'BEGIN {printf "%.0fx", c / s}')** (target: at least 400x)"
        ;;
    c)
        file=$CORPUS/$TYPICAL
        say "" "## (c) one typical template as a fresh process: $TYPICAL ($(wc -c < "$file") bytes)"
        hyperfine -N -i --warmup 20 --min-runs 300 --style basic \
            --export-markdown "$OUT/c.md" \
            -n stacklint "$BIN --format compact $file" \
            -n cat "cat $file" 2>&1 | tee "$OUT/c.txt"
        cat "$OUT/c.md" >> "$REPORT"
        grep -A2 'Summary' "$OUT/c.txt" | tee -a "$REPORT"
        # CPU, not wall: user+sys of 200 runs each (GNU time counts the waited-for
        # children), then instructions under callgrind (user space only: cat's cost is
        # mostly the kernel's exec and page faults, which callgrind does not see).
        cpu() { /usr/bin/time -f '%U %S' -o "$OUT/c.cpu" sh -c "for i in \$(seq 200); do $1 >/dev/null 2>&1; done"; tail -n 1 "$OUT/c.cpu" | awk '{printf "%.3f", $1 + $2}'; }
        lint_cpu=$(cpu "$BIN --format compact $file")
        cat_cpu=$(cpu "cat $file")
        say "- CPU (user+sys) of 200 runs: stacklint ${lint_cpu} s, cat ${cat_cpu} s: **$(awk -v a="$lint_cpu" -v b="$cat_cpu" 'BEGIN {printf "%.1f", a / b}')x** (target: at most 3x)"
        # The process floor: the same binary on a one-line template (exec, page faults,
        # start-up), and the shell loop alone: what 3x cat leaves for the 52 KB work.
        printf 'AWSTemplateFormatVersion: "2010-09-09"\n' > "$OUT/c-tiny.yaml"
        tiny_cpu=$(cpu "$BIN --format compact $OUT/c-tiny.yaml")
        loop_cpu=$(cpu /bin/true)
        say "- floor: stacklint on a one-line template ${tiny_cpu} s ($(awk -v a="$tiny_cpu" -v b="$cat_cpu" 'BEGIN {printf "%.1f", a / b}')x cat); an empty process (/bin/true) ${loop_cpu} s; 3x cat leaves $(awk -v c="$cat_cpu" -v t="$tiny_cpu" 'BEGIN {printf "%.3f", 3 * c - t}') s above the floor for the file's parse and lint (stacklint uses $(awk -v l="$lint_cpu" -v t="$tiny_cpu" 'BEGIN {printf "%.3f", l - t}') s)"
        if command -v valgrind >/dev/null; then
            ir() { valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.c.$2.out" $1 2>&1 >/dev/null | sed -n 's/.*Collected : //p'; }
            lint_ir=$(ir "$BIN --format compact $file" stacklint)
            cat_ir=$(ir "cat $file" cat)
            say "- instructions (callgrind): stacklint $lint_ir, cat $cat_ir: $(awk -v a="$lint_ir" -v b="$cat_ir" 'BEGIN {printf "%.0f", a / b}')x"
        fi
        ;;
    d)
        say "" "## (d) generated 4,000-resource template (cargo bench --bench throughput -- generated)"
        cargo bench --quiet --bench throughput -- generated 2>&1 | tee "$OUT/d.txt"
        grep -E '^generated|time:|thrpt:' "$OUT/d.txt" >> "$REPORT"
        if command -v valgrind >/dev/null; then
            bench=$(cargo bench --bench throughput --no-run --message-format json 2>/dev/null |
                sed -n 's/.*"executable":"\([^"]*throughput[^"]*\)".*/\1/p' | tail -1)
            say "" "Instructions (callgrind), one run each, including ~40 M for generating the text:"
            for once in saphyr-events load-yaml lint; do
                count=$(STACKLINT_RUN_ONCE=$once valgrind --tool=callgrind \
                    --callgrind-out-file="$OUT/callgrind.$once.out" "$bench" 2>&1 |
                    sed -n 's/.*Collected : //p')
                say "- $once: $count"
                eval "ir_${once//-/_}=$count"
            done
            say "- full lint throughput / parse-only throughput (instructions): **$(awk -v p="$ir_load_yaml" -v l="$ir_lint" 'BEGIN {printf "%.0f%%", 100 * p / l}')** (target: at least 80%)"
        fi
        ;;
    f)
        # Peak memory against the file's size: generated templates of ~20 and ~100 MB.
        bench=$(cargo bench --bench throughput --no-run --message-format json 2>/dev/null |
            sed -n 's/.*"executable":"\([^"]*throughput[^"]*\)".*/\1/p' | tail -1)
        say "" "## (f) peak RSS of one large generated template (compact output to /dev/null)" ""
        say "| resources | bytes | peak RSS (MiB) | RSS / size | CPU (s) |" "|---|---|---|---|---|"
        for resources in 16000 80000; do
            big=$SCRATCH/generated-$resources.yaml
            [ -f "$big" ] || STACKLINT_TEMPLATE_RESOURCES=$resources STACKLINT_WRITE_TEMPLATE=$big "$bench"
            /usr/bin/time -f '%M %U %S' -o "$OUT/f.time" "$BIN" --format compact "$big" >/dev/null || true
            # GNU time writes "Command exited with non-zero status 1" first when the
            # lint reports findings: the figures are on the last line.
            read -r kib user sys < <(tail -n 1 "$OUT/f.time")
            bytes=$(wc -c < "$big")
            say "| $resources | $bytes | $(awk -v k="$kib" 'BEGIN {printf "%.1f", k / 1024}') | **$(awk -v k="$kib" -v b="$bytes" 'BEGIN {printf "%.1fx", k * 1024 / b}')** (target: at most 4x) | $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}') |"
        done
        ;;
    g)
        say "" "## (g) language server: didChange -> publishDiagnostics (cargo bench --bench lsp_latency)"
        cargo bench --quiet --bench lsp_latency 2>&1 | tee "$OUT/g.txt"
        grep -E 'didChange' "$OUT/g.txt" >> "$REPORT"
        say "(target: at most 60 ms without the debounce on the 1 MB template)"
        ;;
    e)
        mapfile -t files < <(cfn_templates)
        say "" "## (e) scaling: copies of the ${#files[@]} (b) templates (compact output to /dev/null)"
        say "" "| copies | files | MiB | time (s) | MiB/s | peak RSS (MiB) |" "|---|---|---|---|---|---|"
        one=$SCRATCH/one
        if [ ! -d "$one" ]; then
            for f in "${files[@]}"; do
                mkdir -p "$one/$(dirname "$f")"
                ln "$CORPUS/$f" "$one/$f" 2>/dev/null || cp "$CORPUS/$f" "$one/$f"
            done
        fi
        for copies in ${SCALE_COPIES:-1 10 100 1000}; do
            dir=$SCRATCH/x$copies
            if [ ! -d "$dir" ]; then
                mkdir -p "$dir.partial"
                for i in $(seq -w 1 "$copies"); do
                    # Hard links: the bytes are the same, the files are distinct inputs.
                    cp -al "$one" "$dir.partial/copy$i" 2>/dev/null || cp -a "$one" "$dir.partial/copy$i"
                done
                mv "$dir.partial" "$dir"
            fi
            count=$(find "$dir" -type f | wc -l)
            mib=$(awk -v b="$(find "$dir" -type f -printf '%s\n' | awk '{s += $1} END {print s}')" 'BEGIN {printf "%.1f", b / 1048576}')
            # Best of three (one run at 1,000 copies); GNU time gives the peak RSS.
            runs=3; [ "$copies" -ge 1000 ] && runs=1
            best=""
            peak=0
            for _ in $(seq "$runs"); do
                /usr/bin/time -f '%e %M' -o "$OUT/e.time" "$BIN" --format compact "$dir" >/dev/null || true
                read -r secs kib < <(tail -n 1 "$OUT/e.time")
                best=$(awk -v a="$secs" -v b="${best:-$secs}" 'BEGIN {print (a < b ? a : b)}')
                [ "$kib" -gt "$peak" ] && peak=$kib
            done
            say "| $copies | $count | $mib | $best | $(awk -v m="$mib" -v s="$best" 'BEGIN {printf "%.0f", m / (s > 0 ? s : 0.001)}') | $(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}') |"
        done
        largest=$(find "$one" -type f -printf '%s\n' | sort -n | tail -1)
        say "" "Largest file of the set: $largest bytes (the peak should follow it, not the sum)."
        ;;
    *)
        echo "unknown step $step (a, b, c, d, e, f or g)" >&2
        exit 2
        ;;
    esac
done
say "" "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "report: $REPORT"
