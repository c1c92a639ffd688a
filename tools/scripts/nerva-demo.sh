#!/usr/bin/env bash
# The main job: install what is missing, build, render the demo scene and the
# shader ball of the layered material library headless to out/demo.png and
# out/shaderball.png, and open the viewer where a display exists.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"
nerva_setup_and_build
mkdir -p "$repo/out"
"$build/tools/nerva" render "$repo/assets/scenes/demo/demo.gltf" -o "$repo/out/demo.png" \
  --size 256x256 --spp 16 --camera main "$@"
echo "wrote $repo/out/demo.png"
"$build/tools/nerva" render "$repo/assets/scenes/shaderball/shaderball.gltf" \
  -o "$repo/out/shaderball.png" --size 480x270 --spp 16 --camera main \
  --env "$repo/assets/env/sunset.hdr" "$@"
echo "wrote $repo/out/shaderball.png"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$build/app/nerva-view" ]; then
  exec "$build/app/nerva-view" "$repo/assets/scenes/demo/demo.gltf"
fi
