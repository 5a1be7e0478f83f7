#!/bin/sh
# Whole-process figures for the speed targets, on the fixtures that
#   go test ./workspace/workspacetest -run TestWriteBigFixtures -bigdir FIX
# writes. Usage:
#   go build -o /tmp/bb ./cmd/briefboard
#   sh workspace/workspacetest/measure.sh FIX [RUNS]
# Each case prints wall seconds, peak RSS in MB and user+system CPU seconds
# per run (GNU time). Work directories go under $TMPDIR and are removed.
set -eu
FIX=${1:?usage: measure.sh FIXTURE-DIR [RUNS]}
RUNS=${2:-3}
BB=${BB:-/tmp/bb}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# run NAME PREPARE COMMAND...: PREPARE runs untimed before each run.
run() {
	name=$1 prep=$2
	shift 2
	printf '%-28s' "$name"
	i=0
	while [ $i -lt "$RUNS" ]; do
		rm -rf "$WORK/t" && mkdir -p "$WORK/t"
		sh -c "$prep"
		/usr/bin/time -f '%e %M %U %S' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" ||
			{ echo "FAILED: $*"; cat "$WORK/err"; exit 1; }
		awk '{printf "  %5.2fs %4.0fMB %5.2fcpu", $1, $2/1024, $3+$4}' "$WORK/time"
		i=$((i + 1))
	done
	echo
}

run "list --json" "true" "$BB" list --workspace "$FIX/ws" --json
run "list" "true" "$BB" list --workspace "$FIX/ws"
run "canvas import (new ws)" "$BB new $WORK/t/c --template empty >/dev/null" \
	"$BB" canvas import "$FIX/big.canvas" --workspace "$WORK/t/c"
run "share" "true" "$BB" share --workspace "$FIX/ws" -o "$WORK/t/s.briefboard"
run "import into new dir" "true" "$BB" import "$FIX/big.briefboard" --workspace "$WORK/t/n"
run "import, every card changed" "cp -a $FIX/ws $WORK/t/w" \
	"$BB" import "$FIX/edited.briefboard" --workspace "$WORK/t/w"
run "import, nothing changed" "cp -a $FIX/ws $WORK/t/w" \
	"$BB" import "$FIX/big.briefboard" --workspace "$WORK/t/w"

# Sizes on disk: the canvas, and the workspace a canvas import made.
rm -rf "$WORK/t" && mkdir -p "$WORK/t"
"$BB" new "$WORK/t/c" --template empty >/dev/null
"$BB" canvas import "$FIX/big.canvas" --workspace "$WORK/t/c" >/dev/null
"$BB" import "$FIX/big.briefboard" --workspace "$WORK/t/n" >/dev/null
echo
du -sb "$FIX/big.canvas" "$FIX/big.briefboard" "$FIX/ws" "$WORK/t/c" "$WORK/t/n" | sed "s|$WORK/t/c|(canvas import)|; s|$WORK/t/n|(import into new dir)|"
