#!/usr/bin/env bash
# The phase-1 grid behind results/phase1/: cartpole-swingup, world model {mlp, flow} x policy {gaussian, flow},
# seeds 0 1 2, STEPS environment steps each, on the CPU, strictly one run at a time (the machine had 2 shared cores).
# Each run is nbs/train.ipynb executed by papermill into papermill_runs/phase1/ with its run dir under RUN_ROOT; a
# row per attempt goes to the run registry (status running, then completed or failed, with UTC times). Runs whose
# run dir already holds summary.json are skipped, so the script can be re-run after an interruption.
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
mkdir -p "$RUN_ROOT" "$ROOT/papermill_runs/$PHASE" "$(dirname "$REGISTRY")"

registry_row() {  # run_dir status start end message: insert or update this attempt's registry row
  python - "$REGISTRY" "$@" "$PHASE" "$TASK" "$STEPS" "$ROOT" <<'PY'
import csv, hashlib, json, sys
from pathlib import Path
reg, run_dir, status, start, end, message, phase, task, steps, root = sys.argv[1:]
cols = ['run_id', 'attempt', 'status', 'job_id', 'array_task_id', 'config_hash', 'phase', 'wm', 'policy', 'task',
        'size', 'seed', 'steps', 'git_sha', 'git_dirty', 'start_time', 'end_time', 'run_dir', 'notebook', 'message']
rd = Path(run_dir)
name = rd.name
wm, policy = name.split('_')[1].split('-')[:2]
prov = json.loads((rd / 'provenance.json').read_text()) if (rd / 'provenance.json').exists() else {}
cfg = rd / 'config.yaml'
row = dict(run_id=name, attempt=1, status=status, job_id='', array_task_id='',
           config_hash=hashlib.sha256(cfg.read_bytes()).hexdigest()[:12] if cfg.exists() else '', phase=phase,
           wm=wm, policy=policy, task=task, size='tiny', seed=name.rsplit('_s', 1)[1].split('_')[0], steps=steps,
           git_sha=prov.get('git_sha', ''), git_dirty=prov.get('git_dirty', ''), start_time=start, end_time=end,
           run_dir=str(rd.relative_to(root)) if rd.is_relative_to(root) else str(rd),
           notebook=f'papermill_runs/{phase}/{name}.ipynb', message=message)
rows = list(csv.DictReader(open(reg))) if Path(reg).exists() else []
rows = [r for r in rows if not (r['run_id'] == name and r['attempt'] == '1')] + [row]
with open(reg, 'w', newline='') as f:
    w = csv.DictWriter(f, cols); w.writeheader(); w.writerows(rows)
PY
}

for seed in $SEEDS; do
  for variant in $VARIANTS; do
    wm=${variant%-*}; policy=${variant#*-}
    name=${TASK}_${wm}-${policy}${NAME_SUFFIX}_s${seed}   # <task>_<config>_s<seed>: collect_runs reads the config from it
    dir=$RUN_ROOT/$name
    if [ -f "$dir/summary.json" ]; then echo "skip $name (done)"; continue; fi
    start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    echo "$start start $name"
    registry_row "$dir" running "$start" "" ""
    set +e
    papermill "$SRC/nbs/train.ipynb" "$ROOT/papermill_runs/$PHASE/$name.ipynb" -k python3 --cwd "$ROOT" \
      --no-progress-bar --log-level WARNING -p wm "$wm" -p policy "$policy" -p task "$TASK" -p seed "$seed" \
      -p steps "$STEPS" -p run_dir "$dir" -y "overrides: [${EXTRA}]"
    rc=$?
    set -e
    end=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    if [ $rc -eq 0 ] && [ -f "$dir/summary.json" ]; then
      registry_row "$dir" completed "$start" "$end" "${EXTRA:+overrides: $EXTRA}"
    else
      registry_row "$dir" failed "$start" "$end" "papermill exit $rc"
    fi
    echo "$end end $name rc=$rc"
  done
done
