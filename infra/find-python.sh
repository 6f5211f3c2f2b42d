#!/bin/sh
# Prints the path of a Python 3.13 interpreter (the Lambda runtime's version), or fails with a hint.
# Order: python3.13 on PATH, then pyenv's 3.13 builds.
set -eu
# A pyenv shim is on PATH even when 3.13 is not the selected version, so check that it really runs.
if command -v python3.13 >/dev/null 2>&1 && python3.13 -c 'import sys' >/dev/null 2>&1; then
  python3.13 -c 'import sys; print(sys.executable)'; exit 0
fi
for root in "${PYENV_ROOT:-}" "$HOME/.pyenv" /root/.pyenv /usr/local/pyenv; do
  [ -n "$root" ] || continue
  for candidate in "$root"/versions/3.13*/bin/python3.13; do
    if [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
  done
done
echo "Python 3.13 (the Lambda runtime's version) was not found: install it (e.g. 'pyenv install 3.13') and retry." >&2
exit 1
