#!/usr/bin/env bash
# Re-bakes the neural versions of the library materials into
# assets/materials/neural/ with the --final preset (about 5-6 minutes each on
# 2 idle cores; see docs/neural-materials.md). Run from anywhere; builds the
# CLI first. Extra arguments go to every `nerva bake` (e.g. --iterations 500
# for a quick check — the committed files must come from the preset).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${NERVA_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build" --target nerva nerva-material-textures
mkdir -p "$root/assets/materials/neural"
cd "$root"
for m in car_paint coated_leather brushed_metal lacquered_wood velvet; do
    # Relative paths: the .nmat records the source as given.
    "$build/tools/nerva" bake "assets/materials/$m.json" -o "assets/materials/neural/$m.nmat" \
        --final "$@"
done
