#!/bin/sh
# bench/check.sh (run by make bench): throughput of pep check beside xmllint --schema on the same
# generated corpus, and pep's peak memory at 20,000 and 100,000 files.
# Figures, not assertions: nothing here fails because it is slow.
#
#   BENCH_DIR   where the corpora go (default /tmp/pep-bench; outside the repo)
#   BENCH_N     files in the main corpus (default 20000)
#   BENCH_BIG   files in the memory corpus (default 100000; 0 skips it)
set -eu
cd "$(dirname "$0")/.."
PEP=${PEP:-bin/pep}
DIR=${BENCH_DIR:-/tmp/pep-bench}
N=${BENCH_N:-20000}
BIG=${BENCH_BIG:-100000}
AS_OF=2026-07-17
CORES=$(nproc)
TIME=/usr/bin/time

corpus() { # count -> path, generated once (deterministic, seed 1)
	d="$DIR/c$1"
	if [ ! -f "$d/.done" ]; then
		rm -rf "$d"
		python3 bench/gen_corpus.py --count "$1" --seed 1 "$d"
		touch "$d/.done"
	fi
	echo "$d"
}

# run LABEL COMMAND...: prints the label, files/s and peak RSS from one run.
run() {
	label=$1; shift
	$TIME -f "%e %M" -o "$DIR/time.out" "$@" > /dev/null 2>&1 || true
	read -r secs rss <<EOF
$(tail -n 1 "$DIR/time.out")
EOF
	rate=$(awk -v n="$COUNT" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
	printf "%-44s %8s s %9s files/s %8s MB peak\n" "$label" "$secs" "$rate" "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
	echo "$rate"  > "$DIR/last.rate"
	echo "$rss" > "$DIR/last.rss"
}

[ -x "$TIME" ] || { echo "bench: $TIME is missing (Debian package 'time')"; exit 1; }
command -v xmllint >/dev/null || { echo "bench: xmllint is missing (Debian package libxml2-utils)"; exit 1; }
mkdir -p "$DIR"
C=$(corpus "$N")
COUNT=$N
find "$C" -name '*.xml' | sort > "$DIR/files.txt"
echo "pep check vs xmllint --schema: $N generated PEPs ($(du -sh "$C" | cut -f1)), $CORES cores, $(uname -m)"
echo "(each figure is one run; the machine's other work shows in it: run twice to compare)"
echo
# xmllint: the schema only, all files in one process.
run "xmllint --noout --schema (XSD only, 1 core)" sh -c "xargs -a '$DIR/files.txt' xmllint --noout --nonet --schema schemas/pep.xsd"
X=$(cat "$DIR/last.rate")
run "pep check -j1 (XSD and all rules)" "$PEP" check --no-progress -j 1 --as-of $AS_OF "$C"
P1=$(cat "$DIR/last.rate"); R1=$(cat "$DIR/last.rss")
run "pep check -j$CORES (XSD and all rules)" "$PEP" check --no-progress -j "$CORES" --as-of $AS_OF "$C"
PN=$(cat "$DIR/last.rate"); RN=$(cat "$DIR/last.rss")
echo
awk -v x="$X" -v a="$P1" -v b="$PN" -v c="$CORES" 'BEGIN {
	printf "pep -j1 / xmllint   %.2fx\n", a / x
	printf "pep -j%d / xmllint   %.2fx   (aim: 1.5x on 2 cores)\n", c, b / x
	printf "pep -j%d             %d PEPs/s   (aim: 4000 on 2 cores)\n", c, b }'
if [ "$BIG" -gt 0 ]; then
	CB=$(corpus "$BIG")
	COUNT=$BIG
	echo
	run "pep check -j$CORES on $BIG files" "$PEP" check --no-progress -j "$CORES" --as-of $AS_OF "$CB"
	RB=$(cat "$DIR/last.rss")
	awk -v s="$RN" -v b="$RB" -v n="$N" -v m="$BIG" 'BEGIN {
		printf "peak RSS: %.1f MB at %d files, %.1f MB at %d files (%+.1f %%; aim: within 10 %%)\n",
		       s / 1024, n, b / 1024, m, 100 * (b - s) / s }'
fi
