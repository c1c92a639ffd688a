#!/usr/bin/env bash
# Fits the tri-plane SDF fields of the demo scene (docs/fields.md, "Demo"):
# assets/meshes/<m>.obj (written by nerva-assetgen) -> assets/fields/<m>.ntri
# at 128^2 x 16, fp16, the fitter's defaults otherwise (3000 iterations;
# about a minute each on 2 idle cores). Run from anywhere; builds the CLI
# first (configuring NERVA_BUILD_DIR, default build/, only if it has no
# CMake cache yet, so an existing folder keeps its generator and build
# type). Extra arguments go to every `nerva fit` (e.g. --iterations 300 for
# a quick check — the committed files must come from the defaults).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${NERVA_BUILD_DIR:-$root/build}"
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
fi
cmake --build "$build" --target nerva
mkdir -p "$root/assets/fields"
cd "$root"
for m in torus_knot csg_part; do
    # Relative paths: the .ntri records the source as given.
    "$build/tools/nerva" fit "assets/meshes/$m.obj" -o "assets/fields/$m.ntri" \
        --resolution 128 --channels 16 --quiet "$@"
done
