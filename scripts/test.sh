#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run every test.
#   bash scripts/test.sh [pytest arguments]
# System packages: LibreOffice Writer (PDF conversion for the layout tests) and its Python bridge
# (python3-uno), Chromium (the browser tests, driven by Playwright: never `playwright install`), Noto CJK
# and Liberation fonts, poppler; the Fandol fonts (free stand-ins for 仿宋/楷体) are extracted from Debian's
# texlive-lang-chinese package without installing TeX.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[[ $(dpkg-query -W -f='${Status}' python3-uno 2>/dev/null || true) == *"ok installed"* ]] || need+=(python3-uno)
# Read the font list once: `fc-list | grep -q` fails under pipefail when grep exits early.
fonts=$(fc-list : family 2>/dev/null || true)
[[ $fonts == *"Noto Sans CJK"* ]] || need+=(fonts-noto-cjk)
[[ $fonts == *"Liberation Serif"* ]] || need+=(fonts-liberation2)
if ((${#need[@]})); then
  echo "test.sh: installing ${need[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

fontdir="${XDG_DATA_HOME:-$HOME/.local/share}/fonts"
if ! ls "$fontdir"/FandolFang-Regular.otf >/dev/null 2>&1; then
  echo "test.sh: extracting the Fandol fonts from texlive-lang-chinese" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq texlive-lang-chinese >/dev/null 2>&1 || { "${sudo_cmd[@]}" apt-get update -qq && apt-get download -qq texlive-lang-chinese >/dev/null; })
  (cd "$tmp" && dpkg-deb -x texlive-lang-chinese_*.deb x)
  mkdir -p "$fontdir"
  cp "$tmp"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol*.otf "$fontdir"/
  rm -rf "$tmp"
  fc-cache -f >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e ".[test]"
exec python3 -m pytest "$@"
