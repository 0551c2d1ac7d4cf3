#!/usr/bin/env bash
# Installs what theorybench needs beyond Swift: GSL (libgsl-dev) and pkg-config.
set -euo pipefail
if pkg-config --exists gsl 2>/dev/null; then exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "theorybench: installing libgsl-dev and pkg-config" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgsl-dev pkg-config >/dev/null
elif command -v sudo >/dev/null && command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgsl-dev pkg-config >/dev/null
else
  echo "theorybench: GSL is missing. Install it first, e.g. as root: apt-get install -y libgsl-dev pkg-config" >&2
  echo "             (macOS: brew install gsl pkg-config)" >&2
  exit 1
fi
