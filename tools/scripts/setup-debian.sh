#!/usr/bin/env bash
# Installs every Debian 12 package Nerva needs to build, test and run, and only
# those that are missing. Safe to run any number of times.
#
# lavapipe (Mesa's CPU Vulkan driver) supports the ray-tracing pipeline only
# from Mesa 24.1, so mesa-vulkan-drivers comes from bookworm-backports. The
# backports suite is added by reusing the URIs of the system's own Debian
# source, so no mirror host is hard-coded here.
set -euo pipefail

log() { printf 'nerva-setup: %s\n' "$*" >&2; }

packages=(
  build-essential cmake ninja-build pkg-config git
  libvulkan-dev vulkan-validationlayers spirv-tools
  glslang-dev glslang-tools libshaderc-dev
  libglm-dev libstb-dev libtinygltf-dev nlohmann-json3-dev libtinyexr-dev
  libglfw3-dev libimgui-dev
  libgtest-dev
  xvfb xauth
)
# Callers add what only they need (tools/scripts/nerva-bench.sh: PyTorch).
# shellcheck disable=SC2206
packages+=(${NERVA_EXTRA_PACKAGES:-})
backports_packages=(mesa-vulkan-drivers)
min_mesa=24.1

if ! command -v apt-get >/dev/null 2>&1; then
  log "this script is for Debian 12 (apt-get not found); see README.md for other distributions"
  exit 1
fi
sudo=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    log "run as root (or install sudo): packages must be installed"; exit 1
  fi
fi

missing() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

mesa_version() { dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true; }
mesa_ok() {
  local v; v=$(mesa_version)
  [ -n "$v" ] && dpkg --compare-versions "$v" ge "$min_mesa"
}

# Finds the URIs of the main Debian archive (the source that serves the
# release's own suite) in deb822 .sources files or one-line .list files.
debian_uris() {
  local codename=$1 f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v c="$codename" '
      function flush() { if (suite_ok && uris != "") print uris; uris=""; suite_ok=0 }
      /^[[:space:]]*$/ { flush(); next }
      /^URIs:/ { uris=$0; sub(/^URIs:[[:space:]]*/, "", uris) }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == c) suite_ok=1 }
      END { flush() }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v c="$codename" '$1 == "deb" {
        i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        if ($(i + 1) == c) print $i }' "$f"
  done
}

add_backports() {
  local codename uris
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  if [ -z "$codename" ]; then log "cannot tell the Debian release from /etc/os-release"; exit 1; fi
  if apt-cache policy 2>/dev/null | grep -q "${codename}-backports"; then return 0; fi
  uris=$(debian_uris "$codename" | tr ' ' '\n' | grep -v '^$' | sort -u | paste -sd' ')
  if [ -z "$uris" ]; then
    log "no Debian source for '$codename' found in /etc/apt; cannot add ${codename}-backports"
    exit 1
  fi
  log "adding ${codename}-backports from: $uris"
  "${sudo[@]}" tee /etc/apt/sources.list.d/nerva-backports.sources >/dev/null <<SRC
Types: deb
URIs: $uris
Suites: ${codename}-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  need_update=1
}

need_update=0
todo=$(missing "${packages[@]}")
if ! mesa_ok; then add_backports; fi
if [ -n "$todo" ] || ! mesa_ok; then
  export DEBIAN_FRONTEND=noninteractive
  if [ "$need_update" = 1 ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
    "${sudo[@]}" apt-get update -q
  fi
  if [ -n "$todo" ]; then
    log "installing: $(echo $todo)"
    # shellcheck disable=SC2086
    "${sudo[@]}" apt-get install -y -q --no-install-recommends $todo || {
      "${sudo[@]}" apt-get update -q
      "${sudo[@]}" apt-get install -y -q --no-install-recommends $todo
    }
  fi
  if ! mesa_ok; then
    codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
    log "installing ${backports_packages[*]} from ${codename}-backports"
    "${sudo[@]}" apt-get install -y -q --no-install-recommends -t "${codename}-backports" "${backports_packages[@]}"
  fi
fi
if ! mesa_ok; then
  log "mesa-vulkan-drivers $(mesa_version) is older than $min_mesa: lavapipe lacks ray tracing"
  exit 1
fi
