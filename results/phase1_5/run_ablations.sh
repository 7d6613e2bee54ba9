#!/usr/bin/env bash
# Phase-1.5 ablations behind results/phase1_5/: single-seed (seed 0) runs of the phase-1 setting (cartpole-swingup,
# 6000 steps, tiny, cpu preset) with one setting changed, strictly one run at a time, through results/phase1/run_grid.sh
# (same registry rows, skip-if-done). The baseline of each is the phase-1 run with the same world model, policy and
# seed (results/phase1/). The weight-decay runs (the last two) were added later, with pwm.wm_weight_decay.
# Afterwards: PYTHONPATH=. python -c "from flow_mbpo.results import collect_runs; collect_runs('runs/phase1_5', 'phase1_5')"
set -euo pipefail
GRID="$(cd "$(dirname "$0")/.." && pwd)/phase1/run_grid.sh"
export PHASE=phase1_5 SEEDS=${SEEDS:-0}
ablate() {  # variants suffix overrides
  VARIANTS="$1" NAME_SUFFIX="$2" EXTRA="$3" "$GRID"
}
ablate flow-gaussian _H16 pwm.horizon=16            # actor horizon H (cpu preset: 8), for both world models
ablate mlp-gaussian _H16 pwm.horizon=16
ablate flow-gaussian _H4 pwm.horizon=4
ablate mlp-gaussian _H4 pwm.horizon=4
ablate flow-gaussian _K8 wm.substeps=8              # substeps K (default 4)
ablate flow-gaussian _euler wm.integrator=euler     # integrator (default heun)
ablate flow-gaussian _teacher wm.fm_source=teacher  # teacher-forced flow matching (default rollout)
ablate flow-gaussian _midpoint wm.tau_sampling=midpoint  # tau = 0.5 (default uniform)
ablate flow-gaussian _K2 wm.substeps=2
ablate flow-gaussian _wd3e-4 pwm.wm_weight_decay=3e-4  # regularization: stronger L2 weight decay on the world model (default 0)
ablate mlp-gaussian _wd3e-4 pwm.wm_weight_decay=3e-4
