#!/usr/bin/env bash
# Regenerates docs/documents/*.png: the first page of each printed document of
# the demo rembug warga (`rembug demo --scale rw --seed 1`, a draft, so the
# pages carry the DRAF watermark), printed through the CLI and rendered with
# pdftoppm (poppler-utils) at 60 dpi, small enough to keep in git.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/docs/documents"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --quiet --manifest-path "$root/Cargo.toml" -p rembug-cli
rembug="$root/target/debug/rembug"
"$rembug" --data-dir "$work/data" demo --scale rw --seed 1 >/dev/null
id=$("$rembug" --data-dir "$work/data" meetings --json | sed -n 's/^ *"id": "\([^"]*\)".*/\1/p' | head -n 1)

mkdir -p "$out"
for doc in berita-acara daftar-hadir usulan notulen; do
  "$rembug" --data-dir "$work/data" print "$id" --doc "$doc" --out "$work/$doc.pdf" >/dev/null
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$work/$doc.pdf" "$out/$doc"
  echo "$out/$doc.png"
done
