"""The repository contract: packaging, configs shipped in the wheel, nbdev settings, the CI command."""
import configparser, json, re, subprocess, sys, zipfile
from pathlib import Path

import nbformat


def test_ci_runs_the_readme_test_command(repo_root):
    ci = (repo_root / '.ci/run').read_text().strip().splitlines()[-1]
    assert 'tests/run_all.sh' in ci
    assert ci in (repo_root / 'README.md').read_text(), 'README must show the exact command .ci/run runs'


def test_nbdev_settings(repo_root):
    cfg = configparser.ConfigParser()
    cfg.read(repo_root / 'settings.ini')
    s = cfg['DEFAULT']
    assert set(s['tst_flags'].split()) == {'notest', 'slow', 'gpu'}
    assert 'tags' in s['allowed_cell_metadata_keys'].split()
    assert s['lib_path'] == 'flow_mbpo'


def test_nbdev_clean_keeps_papermill_parameters_tag(repo_root, tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('steps = 10', metadata={'tags': ['parameters'], 'scrolled': True})
    nb.cells = [cell]
    fn = tmp_path / 'p.ipynb'
    nbformat.write(nb, fn)
    subprocess.run(['nbdev_clean', '--fname', str(fn)], cwd=repo_root, check=True, capture_output=True)
    md = json.loads(fn.read_text())['cells'][0]['metadata']
    assert md == {'tags': ['parameters']}


def test_import_and_configs_from_any_directory(tmp_path):
    code = ("import flow_mbpo.world_models\n"
            "from flow_mbpo.core import compose_config\n"
            "cfg = compose_config(['wm=flow', 'size=48M'])\n"
            "assert cfg.wm.latent_dim == 768, cfg.wm.latent_dim\n")
    subprocess.run([sys.executable, '-c', code], cwd=tmp_path, check=True)


def test_wheel_ships_the_hydra_configs(repo_root, tmp_path):
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '-q', '-w', str(tmp_path), str(repo_root)],
                   check=True, capture_output=True)
    wheel, = tmp_path.glob('flow_mbpo-*.whl')
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in ['config.yaml', 'wm/mlp.yaml', 'wm/flow.yaml', 'policy/gaussian.yaml', 'policy/flow.yaml', 'size/48M.yaml']:
        assert f'flow_mbpo/conf/{f}' in names, f
    assert 'flow_mbpo/world_models.py' in names


def test_every_library_notebook_exports_a_module(repo_root):
    for nb in sorted((repo_root / 'nbs').glob('[0-9][0-9]_*.ipynb')):
        src = nb.read_text()
        m = re.search(r'#\|\s*default_exp\s+(\w+)', src)
        assert m, f'{nb.name} has no default_exp'
        assert (repo_root / 'flow_mbpo' / f'{m.group(1)}.py').exists(), nb.name
