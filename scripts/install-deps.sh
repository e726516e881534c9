#!/usr/bin/env bash
# Installs what building descent needs on Debian/Ubuntu, if it is missing:
# a C++17 compiler, CMake, Ninja, Eigen 3.4 and Catch2 v2. Extra package names may be given
# as arguments (CI adds clang). Uses sudo when not run as root.
set -euo pipefail

packages=(g++ cmake ninja-build libeigen3-dev catch2 "$@")
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "descent: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
