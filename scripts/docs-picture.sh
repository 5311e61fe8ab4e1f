#!/usr/bin/env bash
# Remake docs/demo-page-1.png: render the demo issue, convert it with LibreOffice through the same
# bulletin.pdf path the layout tests use, and turn page 1 into a PNG.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
python3 -m bulletin.cli render 10 -o "$tmp/demo.docx" --pdf >/dev/null
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$tmp/demo.pdf" docs/demo-page-1
rm -rf "$tmp"
echo docs/demo-page-1.png
