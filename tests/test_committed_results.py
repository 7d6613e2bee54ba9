"""The committed results: every run in results/ is complete, traceable to a registry row and a code version."""
import json
from pathlib import Path

import pandas as pd
import pytest

from omegaconf import OmegaConf

from flow_mbpo.registry import REGISTRY_COLUMNS, config_hash
from flow_mbpo.results import RUN_FILES, load_registry, load_runs, load_anchors

ANALYSIS_NOTEBOOKS = ['phase1_flow_wm', 'phase1_5_ablations', 'phase2_flow_policy', 'phase3_multitask', 'phase4_paths',
                      'esnr_horizon']


def committed_run_dirs(repo_root: Path) -> list[Path]:
    return sorted(p for p in (repo_root / 'results').glob('*/*/*/seed*') if p.is_dir())


def test_committed_runs_are_complete(repo_root):
    dirs = committed_run_dirs(repo_root)
    assert dirs, 'results/ holds no runs'
    for d in dirs:
        for f in RUN_FILES: assert (d / f).is_file(), f'{d} lacks {f}'
        summary = json.loads((d / 'summary.json').read_text())
        prov = json.loads((d / 'provenance.json').read_text())
        assert summary['git_sha'] == prov['git_sha'] != 'unknown', d
        assert f"seed{summary['seed']}" == d.name and summary['task'] == d.parent.parent.name, d
        metrics = pd.read_csv(d / 'metrics.csv')
        assert metrics.env_steps.is_monotonic_increasing and metrics.env_steps.iloc[-1] == summary['env_steps'], d
        assert metrics.eval_return_mean.iloc[-1] == pytest.approx(summary['final_eval_return']), d


def test_every_committed_run_has_a_completed_registry_row(repo_root):
    reg = load_registry(repo_root / 'results' / 'registry.csv')
    assert list(reg.columns) == list(REGISTRY_COLUMNS)
    for d in committed_run_dirs(repo_root):
        summary = json.loads((d / 'summary.json').read_text())
        run_id = f"{summary['task']}_{d.parent.name}_s{summary['seed']}"
        rows = reg[(reg.run_id == run_id) & (reg.status == 'completed')]
        assert len(rows) == 1, f'{run_id}: {len(rows)} completed registry rows'
        row = rows.iloc[0]
        assert row.git_sha == summary['git_sha'] and row.phase == d.parent.parent.parent.name, run_id
        assert row.config_hash == config_hash(OmegaConf.load(d / 'config.yaml')), f'{run_id}: config hash'
        assert row.start_time < row.end_time, run_id


def test_loading_the_committed_results(repo_root):
    runs, metrics = load_runs(repo_root / 'results')
    assert len(runs) == len(committed_run_dirs(repo_root)) and (runs.status == 'completed').all()
    assert set(metrics.columns) >= {'env_steps', 'eval_return_mean', 'actor_esnr', 'jac_z', 'jac_a', 'compute_index'}
    assert len(load_anchors(repo_root / 'results/reference/anchors.csv')) > 0


def test_one_analysis_notebook_per_phase(repo_root):
    for name in ANALYSIS_NOTEBOOKS:
        assert (repo_root / 'nbs' / 'analysis' / f'{name}.ipynb').is_file(), name
