"""The stages through nbs/train.ipynb's parameters (`stage`, `init_from`, `tasks`), run through papermill as users run them,
and multi-task data of tasks with different episode lengths."""
import dataclasses, json

import pandas as pd
import pytest
import torch

from papermill_helpers import run_train_notebook

TINY_B = ['train.num_envs=1', 'train.seed_steps=1000', 'train.seed_wm_updates=10', 'train.update_every=100',
          'train.batch_size=32', 'train.wm_batch_size=32', 'train.wm_horizon=4', 'pwm.horizon=4', 'pwm.critic_iterations=2',
          'policy.hidden_dims=[64,64]', 'critic.hidden_dims=[64,64]', 'eval.every=2000', 'eval.episodes=1',
          'multitask.task_dim=16']
TINY_C = ['train.num_envs=2', 'train.batch_size=32', 'train.wm_batch_size=32', 'train.wm_horizon=4', 'train.update_every=10',
          'train.seed_steps=500', 'train.seed_wm_updates=10', 'pwm.horizon=4', 'pwm.critic_iterations=2',
          'policy.hidden_dims=[64,64]', 'critic.hidden_dims=[64,64]', 'eval.every=1000', 'eval.episodes=2', 'eval.video=false']


@pytest.mark.parametrize('params,message', [
    (dict(stage='D'), "stage='D' is not allowed; choose one of: A, B, C"),
    (dict(init_from='no/such/checkpoint.pt'), "init_from='no/such/checkpoint.pt': no such checkpoint file"),
])
def test_bad_stage_or_checkpoint_fails_before_any_work(tmp_path, params, message):
    run_dir = tmp_path / 'run'
    r = run_train_notebook(tmp_path / 'executed.ipynb', dict(run_dir=run_dir, **params))
    assert r.returncode != 0
    assert message in r.stdout + r.stderr
    assert not run_dir.exists()


@pytest.mark.slow
def test_b_then_c_through_the_train_notebook(tmp_path):
    "B->C: stage B on two tasks from scratch, then stage C on one of them from B's checkpoint, both via train.ipynb."
    run_b, run_c = tmp_path / 'B', tmp_path / 'C'
    r = run_train_notebook(tmp_path / 'b.ipynb', dict(stage='B', wm='flow', steps=2000, run_dir=run_b,
                                                      tasks=['cartpole-swingup', 'reacher-easy'], overrides=TINY_B))
    assert r.returncode == 0, r.stderr[-4000:]
    s = json.loads((run_b / 'summary.json').read_text())
    assert (s['stage'], s['env_steps'], s['updates']) == ('B', 2000, 10)
    assert sorted(pd.read_csv(run_b / 'metrics.csv').task.unique()) == ['cartpole-swingup', 'reacher-easy']
    r = run_train_notebook(tmp_path / 'c.ipynb', dict(stage='C', wm='flow', task='reacher-easy', steps=1000, run_dir=run_c,
                                                      init_from=str(run_b / 'checkpoint.pt'),
                                                      overrides=[*TINY_C, 'checkpoint.keep_periodic=5']))
    assert r.returncode == 0, r.stderr[-4000:]
    s = json.loads((run_c / 'summary.json').read_text())
    assert (s['stage'], s['task'], s['env_steps']) == ('C', 'reacher-easy', 1000)
    cfg = (run_c / 'config.yaml').read_text()
    assert f'init_from: {run_b / "checkpoint.pt"}' in cfg
    # C starts from B: reacher-easy's specialised world model, and B's policy and critic of that task
    from flow_mbpo.checkpoints import load_checkpoint
    ck_b, start = load_checkpoint(run_b / 'checkpoint.pt'), load_checkpoint(run_c / 'checkpoint_0.pt')['agent']
    for name, v in specialised_world_model(ck_b, 'reacher-easy').items():
        torch.testing.assert_close(start[f'wm.{name}'], v, rtol=0, atol=0, msg=name)
    learner = ck_b['learners']['reacher-easy']
    assert any(k.startswith('policy.') for k in learner) and any(k.startswith('critic.') for k in learner)
    for name, v in learner.items():
        if name.startswith(('policy.', 'critic.')): torch.testing.assert_close(start[name], v, rtol=0, atol=0, msg=name)


SMALL_A = ['train.wm_batch_size=32', 'train.wm_horizon=4', 'multitask.eval_batch=64', 'multitask.eval_horizon=4',
           'eval.every=10', 'multitask.task_dim=16']


def specialised_world_model(ck_a: dict, task: str) -> dict:
    "The state dict of stage A's multi-task world model specialised to `task` (what stage C must start from)."
    from hydra.utils import instantiate
    from omegaconf import OmegaConf
    from flow_mbpo.multitask import single_task_state
    k = ck_a['tasks'].index(task)
    wm = instantiate(OmegaConf.create(ck_a['wm_config']), obs_dim=ck_a['obs_dim'], action_dim=ck_a['action_dim'],
                     num_tasks=len(ck_a['tasks']))
    wm.load_state_dict(ck_a['wm'])
    return single_task_state(wm, k, ck_a['obs_dims'][k], ck_a['action_dims'][k])


def test_a_then_c_through_the_train_notebook(tmp_path):
    "A->C: stage A on a collected two-task dataset, then stage C from its checkpoint, both via train.ipynb; C starts from A's model."
    from flow_mbpo.checkpoints import load_checkpoint
    from flow_mbpo.datasets import write_chunk
    from flow_mbpo.multitask import collect_dataset
    tasks = ['cartpole-balance', 'reacher-easy']
    data = collect_dataset(tasks, 2, seed=0)
    write_chunk(tmp_path / 'data' / 'chunk_0.pt', data['obs'], data['action'], data['reward'], data['task'])
    run_a, run_c = tmp_path / 'A', tmp_path / 'C'
    r = run_train_notebook(tmp_path / 'a.ipynb', dict(stage='A', wm='flow', steps=20, run_dir=run_a, tasks=tasks,
                                                      dataset=[str(tmp_path / 'data' / '*.pt')], overrides=SMALL_A))
    assert r.returncode == 0, r.stderr[-4000:]
    s = json.loads((run_a / 'summary.json').read_text())
    assert (s['stage'], s['tasks'], s['wm_updates'], s['wm']) == ('A', tasks, 20, 'FlowWorldModel')
    assert pd.read_csv(run_a / 'metrics.csv').wm_updates.tolist() == [0, 0, 10, 10, 20, 20]
    r = run_train_notebook(tmp_path / 'c.ipynb', dict(stage='C', wm='flow', task='reacher-easy', steps=1000, run_dir=run_c,
                                                      init_from=str(run_a / 'checkpoint.pt'),
                                                      overrides=[*TINY_C, 'checkpoint.keep_periodic=5']))
    assert r.returncode == 0, r.stderr[-4000:]
    s = json.loads((run_c / 'summary.json').read_text())
    assert (s['stage'], s['task'], s['env_steps']) == ('C', 'reacher-easy', 1000)   # one episode in each of the 2 environments
    start = load_checkpoint(run_c / 'checkpoint_0.pt')['agent']   # written at the evaluation before any update
    expected = specialised_world_model(load_checkpoint(run_a / 'checkpoint.pt'), 'reacher-easy')
    assert len(expected) > 0
    for name, v in expected.items():
        torch.testing.assert_close(start[f'wm.{name}'], v, rtol=0, atol=0, msg=name)
    end = load_checkpoint(run_c / 'checkpoint.pt')['agent']   # the world-model updates after the seeding phase moved it
    assert any(not torch.equal(end[f'wm.{n}'], v) for n, v in expected.items())


class ShortEpisodes:
    "A DMControl task whose episodes end after `length` agent steps: a stand-in for a Meta-World task (100 steps)."
    def __init__(self, task, num_envs=1, seed=0, length=50):
        from flow_mbpo.envs import DMControlEnv
        self.inner, self.num_envs, self.t = DMControlEnv(task, num_envs, seed), num_envs, 0
        self.spec = dataclasses.replace(self.inner.spec, episode_length=length)

    def reset(self):
        self.t = 0
        return self.inner.reset()

    def step(self, actions):
        obs, reward, terminated, truncated = self.inner.step(actions)
        self.t += 1
        return obs, reward, terminated, truncated | (self.t == self.spec.episode_length)

    def rng_state(self): return self.inner.rng_state()
    def set_rng_state(self, states): self.inner.set_rng_state(states)


def test_stage_b_mixes_episode_lengths(tmp_path, monkeypatch):
    "Stage B on tasks of 50- and 500-step episodes stores whole episodes of each (it used to refuse: NotImplementedError)."
    from flow_mbpo import tasks
    from flow_mbpo.multitask import MultiTaskOnlineTrainer, stage_config
    short = 'cartpole-balance'
    real_make_env = tasks.make_env
    monkeypatch.setitem(tasks.TASK_DIMS, short, dataclasses.replace(tasks.TASK_DIMS[short], episode_length=50))
    monkeypatch.setattr(tasks, 'make_env', lambda t, n=1, seed=0: ShortEpisodes(t, n, seed) if t == short else real_make_env(t, n, seed))
    cfg = stage_config('B', wm='flow', tasks=[short, 'pendulum-swingup'], steps=1100, device='cpu',
                       overrides=[o for o in TINY_B if not o.startswith(('train.seed_steps', 'train.update_every', 'eval.every'))]
                       + ['train.seed_steps=500', 'train.update_every=50', 'eval.every=1100'])
    trainer = MultiTaskOnlineTrainer(cfg, tmp_path / 'B')
    summary = trainer.run(progress=False)
    assert (summary['env_steps'], summary['episodes']) == (1100, 4)   # two rounds of one 50- and one 500-step episode
    assert summary['updates'] > 0
    buf = trainer.buffer
    ids = buf.episode[buf.episode >= 0]
    rows_per_episode = torch.bincount(ids)
    task_of_episode = torch.zeros_like(rows_per_episode)
    task_of_episode[ids] = buf.task[buf.episode >= 0]
    k = trainer.agent.tasks.index(short)
    assert rows_per_episode[task_of_episode == k].tolist() == [51, 51]
    assert rows_per_episode[task_of_episode != k].tolist() == [501, 501]
    batch = buf.sample(256, 4)
    assert (buf.episode[(torch.arange(5)[:, None] + buf.valid_starts(4)[None]) % buf.capacity].diff(dim=0) == 0).all()
    assert set(batch['task'].tolist()) == {0, 1}


def test_collect_and_stage_a_on_tasks_of_different_episode_lengths(tmp_path, monkeypatch):
    "Tasks of 50- and 500-step episodes: collection refuses to mix them whole, stores them as pieces of 51 rows with episode_rows, and stage A trains on those."
    from flow_mbpo import tasks, multitask
    from flow_mbpo.datasets import write_chunk
    short, long_ = 'cartpole-balance', 'pendulum-swingup'
    monkeypatch.setitem(tasks.TASK_DIMS, short, dataclasses.replace(tasks.TASK_DIMS[short], episode_length=50))
    real_make_env = multitask.make_env
    monkeypatch.setattr(multitask, 'make_env', lambda t, n=1, seed=0: ShortEpisodes(t, n, seed) if t == short else real_make_env(t, n, seed))
    with pytest.raises(ValueError, match=r"episode_rows: tasks of different episode lengths \({'cartpole-balance': 50, 'pendulum-swingup': 500}\)"):
        multitask.collect_dataset([short, long_], 2)
    data = multitask.collect_dataset([short, long_], 2, episode_rows=51)
    assert data['obs'].shape == (2 + 2 * 10, 51, 5)   # two whole short episodes, two long ones in 10 pieces each
    assert data['task'].tolist() == [tasks.MT80.index(short)] * 2 + [tasks.MT80.index(long_)] * 20
    assert not data['reward'][:, 1:].isnan().any() and data['reward'][:, 0].isnan().all()
    write_chunk(tmp_path / 'chunk_0.pt', data['obs'], data['action'], data['reward'], data['task'])
    cfg = multitask.stage_config('A', 'mlp', tasks=[short, long_], steps=20, dataset=[tmp_path / 'chunk_0.pt'],
                                 overrides=[*SMALL_A, 'multitask.episode_rows=51', 'wandb.mode=disabled'])
    s = multitask.make_trainer(cfg, tmp_path / 'A').run(progress=False)
    assert (s['wm_updates'], s['episodes']) == (20, 1 + 19)   # one piece of each task held out
    assert sorted(s['model_errors_end']) == [short, long_]
