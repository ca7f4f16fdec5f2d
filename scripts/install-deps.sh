#!/usr/bin/env bash
# Installs what gazette needs on Debian 12, skipping what is there already.
# Usage: scripts/install-deps.sh [build|test|all]   (default: all)
#   build: compilers, CMake and the libraries, fonts, time zones, sRGB profile
#   test:  build, plus the validators and tools the tests run
# apt-get runs directly as root, through sudo otherwise.
set -euo pipefail

what=${1:-all}
build_pkgs=(gcc make cmake pkg-config libc6-dev libzip-dev libxml2-dev libhpdf-dev libyajl-dev
  libfontconfig-dev libfreetype-dev libunibreak-dev zlib1g-dev libidn2-dev libhyphen-dev
  libcld2-dev libcsv-dev libcmark-dev libyaml-dev libfribidi-dev libjpeg62-turbo-dev libpng-dev libgif-dev
  libwebp-dev libcurl4-openssl-dev g++ fonts-dejavu-core icc-profiles-free tzdata
  libharfbuzz-dev fonts-noto-core fonts-wqy-zenhei fonts-symbola)
# the hyphenation dictionaries of the languages the PDF hyphenates (and tests)
build_pkgs+=(hyphen-en-us hyphen-en-gb hyphen-de hyphen-fr hyphen-es hyphen-it hyphen-pt-pt hyphen-pt-br
  hyphen-nl hyphen-pl hyphen-ru hyphen-uk)
# calibre: epub/calibre converts a digest to AZW3 (the Kindle path);
# default-jdk-headless: javac for the tests' one-JVM epubcheck driver;
# util-linux (essential) gives unshare for the read-only folder cases;
# fonts-noto-color-emoji: the colour font a PDF must never choose;
# libharfbuzz-bin: hb-shape, the glyphs the PDF's shaped text must draw.
# python3-pil: fixtures/images/make.py remakes the test pictures;
# chromium: e2e/images renders an EPUB chapter as a reader would
test_pkgs=(python3 python3-pil epubcheck poppler-utils qpdf valgrind clang-14 libclang-rt-14-dev unzip man-db
  calibre default-jdk-headless fonts-noto-color-emoji libharfbuzz-bin chromium)

pkgs=("${build_pkgs[@]}")
if [ "$what" = test ] || [ "$what" = all ]; then pkgs+=("${test_pkgs[@]}"); fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
  apt=(sudo apt-get)
else
  echo "Missing packages: ${missing[*]}; run this script as root or install sudo." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -q
"${apt[@]}" install -y -q --no-install-recommends "${missing[@]}"
