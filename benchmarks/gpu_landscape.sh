#!/usr/bin/env bash
# The old name of `bash benchmarks/gpu_node.sh bench landscape [dock|landscapes|calibrate|all]` (docs/landscape.md).
exec bash "$(dirname "$0")/gpu_node.sh" bench landscape "$@"
