#!/usr/bin/env bash
# mypy --strict on the package as it installs: the repository's folders map into one `zhenggai`
# namespace that only exists once installed, so type-check a staged copy of it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
python -m pip install -q --no-deps --no-build-isolation --target "$stage" "$root" >/dev/null
rm -rf "$stage"/zhenggai_reader-*.dist-info "$stage/bin"
cd "$stage"
mypy --config-file "$root/pyproject.toml" -p zhenggai | sed "s#^zhenggai/##"
