#!/usr/bin/env bash
# Smoke-test an installed zhenggai as a user meets it: run every command on the bundled samples from
# outside the checkout, and start the reader headless to a populated screen.
# usage: scripts/smoke.sh VENV   (a virtual environment the wheel was installed into)
set -euo pipefail
venv=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
z="$venv/bin/zhenggai"
py="$venv/bin/python"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ZHENGGAI_HOME="$work/home"
cd /

check() {  # check NAME COMMAND… : run it, show one line, fail loudly with its output
  local name=$1; shift
  if ! "$@" >"$work/out" 2>"$work/err"; then
    echo "smoke: FAILED $name"; cat "$work/out" "$work/err"; exit 1
  fi
  echo "smoke: ok $name ($(wc -l <"$work/out") lines)"
}
expect() {  # expect TEXT : the last command's output holds TEXT
  grep -qF -- "$1" "$work/out" || { echo "smoke: output lacks '$1'"; cat "$work/out"; exit 1; }
}

tops=$("$venv/bin/pip" show -f zhenggai-reader | sed -n '/^Files:/,$p' | tail -n +2 | sed 's/^ *//' \
  | grep -v '^\.\./' | cut -d/ -f1 | grep -v '^zhenggai_reader-' | sort -u | tr '\n' ' ')
[ "$tops" = "zhenggai " ] || { echo "smoke: top-level packages installed: $tops"; exit 1; }
echo "smoke: ok one top-level package (zhenggai)"

check "zhenggai -h" "$z" -h; expect "Commands"
check "python -m zhenggai --help" "$py" -m zhenggai --help; expect "list"
check "list" "$z" list; expect "53 notices"
check "list (piped, full rows)" "$z" list; expect "liaoning-shenyang-heping-2024"
check "list --json" "$z" list --json; expect '"province": "辽宁省"'
check "show" "$z" show 和平区; expect "中共沈阳市和平区委"
check "show --section" "$z" show 和平区 --section 一; expect "和平区"
check "search" "$z" search 整改 --district 和平; expect "和平区"
check "keywords" "$z" keywords 和平区
check "ledger" "$z" ledger
check "ledger --csv" "$z" ledger --csv; expect "id"
check "compare show" "$z" compare show 和平区 沈河区; expect "沈河区"
check "note add" "$z" note add 和平区 "smoke test note #smoke" --section 一; expect "added"
check "bookmark add" "$z" bookmark add 和平区 --section 一
check "compare save" "$z" compare save smoke 和平区 沈河区
check "export" "$z" export -o "$work/notes.md"
grep -qF "smoke test note" "$work/notes.md" || { echo "smoke: export lacks the note"; exit 1; }
check "reader (headless, populated)" "$py" "$here/smoke_reader.py"; expect "populated"
echo "smoke: all commands work from an installed wheel"
