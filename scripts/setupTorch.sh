#!/usr/bin/env bash
# What the unit tests of scripts/torch/train.py need: Debian's PyTorch (CPU),
# the onnx package its exporter writes with, and the threaded OpenBLAS (the
# default reference BLAS is about 20x slower). Idempotent; re-runs take < 1 s.
set -euo pipefail
bash "$(dirname "$0")/aptPackages.sh" setupTorch python3 python3-torch python3-onnx libopenblas0-pthread
