#!/usr/bin/env bash
# The phase-1 grid behind results/phase1/: cartpole-swingup, world model {mlp, flow} x policy {gaussian, flow},
# seeds 0 1 2, STEPS environment steps each, on the CPU, strictly one run at a time (the machine had 2 shared cores).
# Each run is nbs/train.ipynb executed by papermill into papermill_runs/<PHASE>/ with its run dir under RUN_ROOT; the
# notebook writes its own row per attempt to the run registry (flow_mbpo.registry: running, then completed, failed
# with the cause, or preempted; the phase label, the config hash and UTC times). Runs whose run dir already holds
# summary.json are skipped, so the script can be re-run after an interruption.
# Afterwards copy the small files (and the registry rows) into results/ (flow_mbpo.results, nbs/13_results.ipynb):
#   PYTHONPATH=. python -c "from flow_mbpo.results import collect_runs; collect_runs('runs/phase1', 'phase1')"
#
#   results/phase1/run_grid.sh                        # the grid as committed
#   SEEDS="0" VARIANTS="mlp-gaussian" STEPS=2000 results/phase1/run_grid.sh   # a part of it
#   PHASE=phase1_5 EXTRA='wm.substeps=8' NAME_SUFFIX=_K8 VARIANTS=flow-gaussian SEEDS=0 results/phase1/run_grid.sh  # an ablation
#
# SRC: the checkout whose nbs/train.ipynb runs and whose flow_mbpo is imported (default: this one). Running from a clean clone pinned to a commit
# records that commit, not dirty, in each run's provenance.json.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=${SRC:-$ROOT}
PHASE=${PHASE:-phase1}          # phase label: results/<PHASE>/, runs/<PHASE>/, papermill_runs/<PHASE>/
RUN_ROOT=${RUN_ROOT:-$ROOT/runs/$PHASE}
REGISTRY=${FLOW_MBPO_REGISTRY:-$ROOT/runs/registry.csv}
TASK=${TASK:-cartpole-swingup}
STEPS=${STEPS:-6000}
SEEDS=${SEEDS:-"0 1 2"}
VARIANTS=${VARIANTS:-"mlp-gaussian flow-gaussian mlp-flow flow-flow"}
EXTRA=${EXTRA:-}            # comma-separated Hydra overrides, e.g. wm.substeps=8,wm.integrator=euler
NAME_SUFFIX=${NAME_SUFFIX:-}
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 WANDB_MODE=disabled MUJOCO_GL=egl PYTHONPATH=$SRC
command -v papermill > /dev/null || { echo "papermill not found: activate the environment of README.md first" >&2; exit 2; }
mkdir -p "$RUN_ROOT" "$ROOT/papermill_runs/$PHASE" "$(dirname "$REGISTRY")"

for seed in $SEEDS; do
  for variant in $VARIANTS; do
    wm=${variant%-*}; policy=${variant#*-}
    name=${TASK}_${wm}-${policy}${NAME_SUFFIX}_s${seed}   # <task>_<config>_s<seed>: collect_runs reads the config from it
    dir=$RUN_ROOT/$name
    if [ -f "$dir/summary.json" ]; then echo "skip $name (done)"; continue; fi
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) start $name"
    set +e
    papermill "$SRC/nbs/train.ipynb" "$ROOT/papermill_runs/$PHASE/$name.ipynb" -k python3 --cwd "$ROOT" \
      --no-progress-bar --log-level WARNING -p wm "$wm" -p policy "$policy" -p task "$TASK" -p seed "$seed" \
      -p steps "$STEPS" -p run_dir "$dir" -p phase "$PHASE" -p registry "$REGISTRY" \
      -p notebook "papermill_runs/$PHASE/$name.ipynb" -y "overrides: [${EXTRA}]"
    rc=$?
    set -e
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) end $name rc=$rc"
  done
done
