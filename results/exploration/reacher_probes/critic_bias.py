"""Probe finished runs (their run directories, copied first so nothing in them changes) for the bias of the critic's
minimum over members: along imagined rollouts from 2048 buffer states, the members' minimum, mean and spread, the
imagined rewards, the mean minus the minimum over the rollout, and the TD(lambda) targets and values.

    PYTHONPATH=. python results/exploration/reacher_probes/critic_bias.py RUN_DIR [RUN_DIR ...]"""
import sys, shutil, tempfile, torch
from pathlib import Path
from omegaconf import OmegaConf
from flow_mbpo.train import OnlineTrainer

torch.set_num_threads(1)
for src in map(Path, sys.argv[1:]):
    run_dir = Path(tempfile.mkdtemp()) / src.name
    shutil.copytree(src, run_dir, ignore=shutil.ignore_patterns('video.mp4', 'checkpoint_best.pt', 'checkpoint_*0.pt'))
    cfg = OmegaConf.load(run_dir / 'config.yaml')
    trainer = OnlineTrainer(cfg, run_dir); trainer.restore()
    agent = trainer.agent
    with torch.no_grad():
        torch.manual_seed(0)
        traj = agent.imagine(agent.wm.encode(trainer.buffer.sample_obs(2048)[0]))
        members = agent.critic(traj['latents'])                          # (K, H+1, B)
        low, mean = members.min(0).values, members.mean(0)
        gap, reward = (mean - low).mean(), traj['rewards'].mean()
        line = ', '.join(f't{t}: min {low[t].mean():.1f} mean {mean[t].mean():.1f} max-min '
                         f'{(members.max(0).values - low)[t].mean():.1f}' for t in (0, 1, agent.horizon))
        print(f"{src.name} ({cfg.critic.get('value_reduction', 'min')} bootstrap): {line}\n"
              f'  imagined reward {reward:.3f} (min {traj["rewards"].min():.3f}), mean - min {gap:.2f}, '
              f'TD(lambda) target {agent.critic_targets(traj).mean():.1f}, value {agent.critic.value(traj["latents"][:-1]).mean():.1f}',
              flush=True)
