#!/usr/bin/env bash
# Builds replay.c with mingw-w64 and runs it under Wine: the Win32 call sequences of ShmStore's Windows
# backend, and a mutex abandoned by a process killed with SIGKILL. Prints "FACT <name> <value>" lines
# (and writes them to <out>/facts.txt); Win32ReplayTest compares them with the backend's Win32Facts.
#
#   store-core/src/test/win32/run.sh <out-dir>
#
# Needs x86_64-w64-mingw32-gcc (Debian: gcc-mingw-w64-x86-64) and wine64 (Debian: wine64). Exits 3,
# saying so, when either is missing; any other non-zero exit is a failure. Uses its own Wine prefix
# under <out-dir> and stops that prefix's wineserver when done.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: run.sh <out-dir>}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

gcc_bin="$(command -v x86_64-w64-mingw32-gcc || true)"
wine_bin="$(command -v wine64 || true)"
if [ -z "$wine_bin" ] && [ -x /usr/lib/wine/wine64 ]; then
    wine_bin=/usr/lib/wine/wine64 # Debian's wine64 package, without the wine wrapper package
fi
server_bin="$(command -v wineserver || true)"
if [ -z "$server_bin" ] && [ -x /usr/lib/wine/wineserver64 ]; then
    server_bin=/usr/lib/wine/wineserver64
fi
if [ -z "$gcc_bin" ] || [ -z "$wine_bin" ]; then
    echo "SKIP: the Win32 replay needs x86_64-w64-mingw32-gcc and wine64 (Debian packages gcc-mingw-w64-x86-64 and wine64)" >&2
    exit 3
fi

nice -n 19 "$gcc_bin" -O1 -Wall -Werror -o "$out/replay.exe" "$here/replay.c" -ladvapi32

export WINEPREFIX="$out/prefix"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=" # no Mono or Gecko installer prompts in a new prefix
files="$out/files"
rm -rf "$files"
mkdir -p "$files"
facts="$out/facts.txt"
: > "$facts"

stop_server() {
    if [ -n "$server_bin" ]; then
        "$server_bin" -k 2>/dev/null || true
    fi
}
trap stop_server EXIT

wine() {
    nice -n 19 "$wine_bin" "$@"
}

# Z: is the Unix root in every Wine prefix
windows_path() {
    printf 'Z:%s' "${1//\//\\}"
}

wine "$out/replay.exe" all "$(windows_path "$files")" 2>"$out/wine-stderr.txt" | tee -a "$facts"

# a file's DACL as Wine stores it: the Unix mode bits of the files replay.c left ("others" bits only:
# Wine keeps the group bits of the umask)
mode_others() {
    local mode
    mode="$(stat -c '%a' "$1")"
    echo "${mode: -1}"
}
echo "FACT file.owner_only.unix_mode_others $(mode_others "$files/kept-owner-only.shm")" | tee -a "$facts"
echo "FACT file.everyone_read.unix_mode_others $(mode_others "$files/kept-everyone-read.shm")" | tee -a "$facts"

# WAIT_ABANDONED across processes: a holder killed with SIGKILL (no Windows code runs at its death)
name='Local\shmstore.replay-killed'
# started directly, not through the function, so that $! is the pid of the Windows process itself
# (nice and the Wine loader exec into it)
# waits up to 30 s for a line of a background process's output file
await_line() {
    for _ in $(seq 300); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
nice -n 19 "$wine_bin" "$out/replay.exe" hold-mutex "$name" >"$out/holder.txt" 2>>"$out/wine-stderr.txt" &
holder=$!
if ! await_line "$out/holder.txt" HELD; then
    echo "FAIL: the holder never took the mutex" >&2
    kill -9 "$holder" 2>/dev/null || true
    exit 1
fi
nice -n 19 "$wine_bin" "$out/replay.exe" await-abandoned "$name" >"$out/waiter.txt" 2>>"$out/wine-stderr.txt" &
waiter=$!
await_line "$out/waiter.txt" WAITING || echo "# the waiter did not say WAITING in 30 s" >&2
kill -9 "$holder"
wait "$holder" 2>/dev/null || true
wait "$waiter"
grep '^FACT' "$out/waiter.txt" | tee -a "$facts"
echo "# done"
