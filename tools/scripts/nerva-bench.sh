#!/usr/bin/env bash
# Benchmarks: install what is missing (also the PyTorch baseline of
# `nerva bench training`: Debian's python3-torch, with OpenBLAS so its matrix
# products are not the reference BLAS), build, and run `nerva bench ARGS`.
#   bash tools/scripts/nerva-bench.sh training
#   bash tools/scripts/nerva-bench.sh materials
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export NERVA_EXTRA_PACKAGES="python3-torch libopenblas0-pthread"
source "$here/common.sh"
nerva_setup_and_build
exec "$build/tools/nerva" bench "$@"
