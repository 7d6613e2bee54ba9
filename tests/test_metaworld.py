"""The 50 Meta-World tasks of MT80 (optional extra `mt80`); skipped when Meta-World is not installed."""
import numpy as np
import pytest
import torch

pytest.importorskip('metaworld', reason="Meta-World is not installed (optional extra: pip install -e '.[mt80]')")

from flow_mbpo.envs import available_tasks, make_env
from flow_mbpo.tasks import MT80, MW_TASKS, TASK_DIMS, MetaWorldEnv, MultiTaskEnv, pad_obs


def test_metaworld_tasks_are_available():
    assert available_tasks() == MT80


@pytest.mark.parametrize('task', MW_TASKS)
def test_every_metaworld_task_steps(task):
    env = make_env(task, num_envs=2, seed=3)
    assert isinstance(env, MetaWorldEnv) and env.spec == TASK_DIMS[task]
    obs = env.reset()
    assert obs.shape == (2, 39) and obs.dtype == torch.float32 and torch.isfinite(obs).all()
    g = torch.Generator().manual_seed(0)
    for t in range(100):
        obs, r, term, trunc = env.step(torch.rand(2, 4, generator=g) * 2 - 1)
        assert torch.isfinite(obs).all() and ((r >= 0) & (r <= 20)).all() and not term.any()
        assert trunc.all() == trunc.any() == (t == 99)
    first = env.step(torch.zeros(2, 4))   # stepping after the end starts a new episode
    assert not first[2].any() and not first[3].any() and (first[1] == 0).all()


def test_metaworld_seeding_rng_state_and_render():
    a, b = MetaWorldEnv('mw-reach', 2, seed=5), MetaWorldEnv('mw-reach', 2, seed=5)
    oa, ob = a.reset(), b.reset()
    assert torch.equal(oa, ob) and not torch.equal(oa[0, 36:], oa[1, 36:])   # goals: same seed same, per env different
    state = a.rng_state(); first = a.reset(); a.set_rng_state(state)
    assert torch.equal(a.reset(), first)
    frame = a.render(0, height=48, width=64)
    assert frame.shape == (48, 64, 3) and frame.dtype == np.uint8 and frame.std() > 0


def test_multitask_env_mixes_dmcontrol_and_metaworld():
    tasks = ['cheetah-run', 'mw-reach']
    env, single = MultiTaskEnv(tasks, seed=0), make_env('mw-reach', 1, seed=1)
    assert (env.spec.obs_dim, env.spec.action_dim, env.spec.episode_lengths) == (39, 6, (500, 100))
    obs = env.reset()
    assert torch.equal(obs[1], single.reset()[0]) and (obs[0, 17:] == 0).all()
    a = torch.rand(2, 6) * 2 - 1
    out, ref = env.step(a), single.step(a[1:, :4])
    assert torch.equal(out[0][1:], pad_obs(ref[0], 39)) and torch.equal(out[1][1:], ref[1])


def test_stage_b_on_dmcontrol_and_metaworld_stops_and_continues(tmp_path):
    "Stage B on a DMControl task (500-step episodes) and a Meta-World task (100), stopped after a round and continued."
    from flow_mbpo.checkpoints import load_checkpoint
    from flow_mbpo.multitask import MultiTaskOnlineTrainer, stage_config
    overrides = ['train.num_envs=1', 'train.seed_steps=600', 'train.seed_wm_updates=5', 'train.update_every=100',
                 'train.batch_size=32', 'train.wm_batch_size=32', 'train.wm_horizon=4', 'pwm.horizon=4',
                 'pwm.critic_iterations=2', 'policy.hidden_dims=[64,64]', 'critic.hidden_dims=[64,64]', 'eval.every=1200',
                 'eval.episodes=1', 'multitask.task_dim=16']
    cfg = stage_config('B', wm='flow', tasks=['cartpole-balance', 'mw-reach'], steps=1800, device='cpu', overrides=overrides)
    full = MultiTaskOnlineTrainer(cfg, tmp_path / 'full').run(progress=False)
    assert (full['env_steps'], full['episodes'], full['updates']) == (1800, 6, 12)   # 3 rounds of 500 + 100 steps
    assert sorted(full['returns_end']) == ['cartpole-balance', 'mw-reach']
    assert MultiTaskOnlineTrainer(cfg, tmp_path / 'cut').run(progress=False, until=600) is None
    cut = MultiTaskOnlineTrainer(cfg, tmp_path / 'cut').run(progress=False)
    assert {k: cut[k] for k in ('env_steps', 'updates', 'wm_updates', 'returns_end')} == \
           {k: full[k] for k in ('env_steps', 'updates', 'wm_updates', 'returns_end')}
    a, b = load_checkpoint(tmp_path / 'full' / 'checkpoint.pt'), load_checkpoint(tmp_path / 'cut' / 'checkpoint.pt')
    assert all(torch.equal(a['wm'][k], b['wm'][k]) for k in a['wm'])
    for task in a['learners']:
        assert all(torch.equal(v, b['learners'][task][k]) for k, v in a['learners'][task].items())


def test_stage_a_on_dmcontrol_and_metaworld_in_mt80_pieces(tmp_path):
    "A dataset of cartpole-balance (500 steps) and mw-reach (100) in TD-MPC2's MT80 layout (101 rows), then stage A on it."
    from flow_mbpo.datasets import write_chunk
    from flow_mbpo.multitask import collect_dataset, make_trainer, stage_config
    tasks = ['cartpole-balance', 'mw-reach']
    with pytest.raises(ValueError, match='episode_rows: tasks of different episode lengths'):
        collect_dataset(tasks, 2)
    data = collect_dataset(tasks, 2, episode_rows=101)
    assert data['obs'].shape == (2 * 5 + 2, 101, 39)
    assert data['task'].tolist() == [MT80.index('cartpole-balance')] * 10 + [MT80.index('mw-reach')] * 2
    write_chunk(tmp_path / 'chunk_0.pt', data['obs'], data['action'], data['reward'], data['task'])
    cfg = stage_config('A', 'flow', tasks=tasks, steps=20, dataset=[tmp_path / 'chunk_0.pt'],
                       overrides=['train.wm_batch_size=32', 'train.wm_horizon=4', 'multitask.eval_batch=64',
                                  'multitask.eval_horizon=4', 'eval.every=10', 'multitask.task_dim=16',
                                  'multitask.episode_rows=101', 'wandb.mode=disabled'])
    s = make_trainer(cfg, tmp_path / 'A').run(progress=False)
    assert (s['wm_updates'], sorted(s['model_errors_end'])) == (20, sorted(tasks))
