# Sourced by benchmarks/gpu_node.sh: the repository root, the output folder
# ($OUT, default ./out) and the run-time paths of the Debian packages unpacked
# by scripts/gpu-node-build.sh (docs/gpu-build.md).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
OUT=${OUT:-$here/out}
mkdir -p "$OUT"
R=$here/.device-carry/root/usr
export LD_LIBRARY_PATH=$R/lib/x86_64-linux-gnu:$R/lib/x86_64-linux-gnu/hdf5/openmpi:$R/lib/x86_64-linux-gnu/hdf5/serial
export PATH=$R/bin:$PATH OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
