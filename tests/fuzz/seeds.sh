#!/usr/bin/env bash
# Lays out the seed corpora of the fuzz targets under OUT (no binary file is checked in):
#   OUT/netlist  tests/fuzz/seeds/netlist (hostile YAML), netlists/**, tests/data/netlists,
#                long keys and values written here
#   OUT/set      tests/fuzz/seeds/set (newline-separated --set assignments), long ones
#   OUT/idx      tiny IDX files written here: images 2x2x2 and labels 2, plain and gzipped,
#                image+label pairs (a data set), and broken ones (truncated, trailing byte,
#                wrong magic, type or rank, zero dimension, headers announcing 4 GiB or more)
# Usage: tests/fuzz/seeds.sh OUT
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: seeds.sh OUT}
rm -rf "$out"
mkdir -p "$out/netlist" "$out/set" "$out/idx"

cp "$top"/tests/fuzz/seeds/netlist/*.yaml "$out/netlist/"
for f in "$top"/netlists/*.yaml "$top"/netlists/*/*.yaml "$top"/tests/data/netlists/*.yaml; do
    [ -f "$f" ] || continue
    rel=${f#"$top"/}
    cp "$f" "$out/netlist/${rel//\//_}"
done
cp "$top"/tests/fuzz/seeds/set/*.txt "$out/set/"
# long keys and values, past the fixed buffers (key paths 256, names 64, paths 512 bytes)
long() { head -c "$1" /dev/zero | tr '\0' "$2"; }
printf 'version: 1\nnetwork:\n  layer:\n    %s: 1\n' "$(long 300 k)" > "$out/netlist/long-key.yaml"
printf 'version: 1\nname: %s\nprotocol:\n  dataset: idx\n  data:\n    train_images: %s\n' \
    "$(long 70 n)" "$(long 600 p)" > "$out/netlist/long-values.yaml"
printf 'network.layer.%s=1\nprotocol.data.test_images=%s\nname=%s\n' "$(long 300 k)" \
    "$(long 600 p)" "$(long 70 n)" > "$out/set/long.txt"

cd "$out/idx"
w() { printf '%b' "$2" > "$1"; } # name, bytes as printf %b escapes
w images "\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x02\x00\x40\x80\xff\x01\x02\x03\x04"
w labels "\x00\x00\x08\x01\x00\x00\x00\x02\x07\x03"
gzip -9 -n -c images > images.gz
gzip -9 -n -c labels > labels.gz
cat images labels > pair
cat images.gz labels.gz > pair.gz
cat images labels.gz > pair-mixed
w truncated-header "\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00"
w truncated-data "\x00\x00\x08\x01\x00\x00\x00\x04\x01\x02"
w trailing-byte "\x00\x00\x08\x01\x00\x00\x00\x01\x05\x06"
w bad-magic "\x01\x02\x08\x01\x00\x00\x00\x01\x05"
w float-type "\x00\x00\x0d\x01\x00\x00\x00\x01\x00\x00\x80\x3f"
w rank-2 "\x00\x00\x08\x02\x00\x00\x00\x01\x00\x00\x00\x01\x09"
w zero-dim "\x00\x00\x08\x03\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x02"
w negative-dim "\x00\x00\x08\x01\xff\xff\xff\xff"
# 1 x 65536 x 65536: exactly 4 GiB announced, no data; and 2^31-1 labels, no data
w huge-images "\x00\x00\x08\x03\x00\x00\x00\x01\x00\x01\x00\x00\x00\x01\x00\x00"
w huge-labels "\x00\x00\x08\x01\x7f\xff\xff\xff"
w over-4gib "\x00\x00\x08\x03\x00\x00\x01\x00\x00\x01\x00\x00\x00\x01\x00\x00"
# 1 MiB of zero pixels, gzipped to about 1 kB; and a gzip stream cut in the middle
{ printf '%b' "\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x04\x00\x00\x00\x04\x00"; head -c 1048576 /dev/zero; } |
    gzip -9 -n -c > zeros-1mib.gz
head -c 20 images.gz > cut.gz
# gzip with a wrong CRC (the trailer's first byte flipped)
cp images.gz bad-crc.gz
n=$(stat -c %s bad-crc.gz)
printf '\x55' | dd of=bad-crc.gz bs=1 seek=$((n - 8)) conv=notrunc status=none
