#!/usr/bin/env bash
# The whole test suite, run from anywhere inside the repository with the project's environment active:
#   1. the notebooks and the library are in sync (nbdev_clean and nbdev_export change nothing),
#   2. every notebook runs (nbdev_test; cells flagged slow/gpu are skipped),
#   3. pytest (end-to-end tests that are not notebook-shaped).
set -euo pipefail
cd "$(dirname "$0")/.."
# 2 cores: one thread per test worker; no wandb traffic; headless MuJoCo rendering
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 WANDB_MODE=disabled MUJOCO_GL=${MUJOCO_GL:-egl}
start=$(date +%s)

snapshot() { git diff --no-ext-diff HEAD -- nbs flow_mbpo | sha1sum; git status --porcelain -- nbs flow_mbpo; }
before=$(snapshot)
nbdev_clean
nbdev_export
if [ "$before" != "$(snapshot)" ]; then
  echo "FAIL: notebooks and library not in sync: nbdev_clean/nbdev_export changed these files:" >&2
  git status --porcelain -- nbs flow_mbpo >&2
  echo "Run nbdev_clean and nbdev_export, review and commit." >&2
  exit 1
fi
echo "notebooks and library in sync ($(( $(date +%s) - start )) s)"

nbdev_test --n_workers 2 --timing
echo "nbdev_test passed ($(( $(date +%s) - start )) s)"

rc=0
# tests marked slow (the Slurm time-limit test) run with `python -m pytest -m slow`
python -m pytest -n 2 -m "not slow" --durations=15 "$@" || rc=$?
if [ "$rc" -eq 5 ]; then echo "pytest collected no tests"; rc=0; fi
echo "test suite finished with status $rc in $(( $(date +%s) - start )) s"
exit "$rc"
