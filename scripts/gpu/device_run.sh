#!/usr/bin/env bash
# On the GPU machine (device tool), from the repository root, with `.gpu` carried:
#   bash scripts/gpu/device_run.sh [parity|tests|bench|all]
# Finds the CUDA libraries and headers the way mx's loader expects them (pip-installed
# CUDA wheels put them under site-packages/nvidia), then runs the backend-parity
# harness, the whole test suite with MX_REQUIRE_GPU=1, and the GPU benchmarks beside
# PyTorch. Logs and JSON land in $OUT.
set -uo pipefail
OUT=${OUT:-/tmp/mx-out}
mkdir -p "$OUT"
what=${1:-all}
# The bundle travels as one xz archive (the carry limit is 64 MiB).
if [ -f .gpu/bin.tar.xz ] && [ ! -d .gpu/bin ]; then
  python3 -c "import lzma, tarfile; tarfile.open(fileobj=lzma.open('.gpu/bin.tar.xz')).extractall('.gpu')"
fi
# Test binaries find golden data through the path they were built at.
if [ ! -e /work/main ]; then mkdir -p /work && ln -s "$(pwd)" /work/main; fi
libdirs=$(find / -xdev \( -name 'libnvrtc.so*' -o -name 'libcublasLt.so*' -o -name 'libcufft.so*' \) 2>/dev/null | xargs -r -n1 dirname | grep -v stubs | sort -u | tr '\n' ':')
export LD_LIBRARY_PATH="${libdirs}${LD_LIBRARY_PATH:-}"
if [ -z "${MX_CUDA_INCLUDE:-}" ]; then
  header=$(find / -xdev -name cuda_bf16.h 2>/dev/null | head -1)
  [ -n "$header" ] && export MX_CUDA_INCLUDE=$(dirname "$header")
fi
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
echo "MX_CUDA_INCLUDE=${MX_CUDA_INCLUDE:-}"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
export MX_REQUIRE_GPU=1
status=0
if [ "$what" = parity ] || [ "$what" = all ]; then
  .gpu/bin/test-mx-gpu_parity --test-threads=1 --nocapture > "$OUT/parity.log" 2>&1 || status=1
  grep -E "^(backend parity|coverage|  |FAIL|test result)" "$OUT/parity.log" | head -80
fi
if [ "$what" = tests ] || [ "$what" = all ]; then
  bash .gpu/run > "$OUT/tests.log" 2>&1 || status=1
  grep -E "^(=== |test result|test .*FAILED|---- )" "$OUT/tests.log" | grep -v "test result: ok" | head -60
fi
if [ "$what" = bench ] || [ "$what" = all ]; then
  .gpu/bin/bin-mx-bench-mx-bench gpu --jsonl "$OUT/gpu.jsonl" 2>&1 | tee "$OUT/bench.log"
  if [ -f .gpu/gpu_anchor.py ]; then
    python3 .gpu/gpu_anchor.py > "$OUT/anchor.log" 2>&1
    python3 bench/compare/gpu.py --mx "$OUT/gpu.jsonl" --torch "$OUT/gpu_anchor.json"
  fi
fi
exit $status
