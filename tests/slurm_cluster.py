"""A single-node Slurm cluster on localhost for the tests: Debian's slurmctld, slurmd and munge, started directly (no
systemd), with a private munge socket and key, free ports, and 4 fake GPUs, so that it disturbs no other Slurm or
munge on the machine and two test sessions do not collide."""
import getpass, os, shutil, socket, subprocess, time
from pathlib import Path

PACKAGES = ['slurmctld', 'slurmd', 'slurm-client', 'munge']
BINARIES = ['slurmctld', 'slurmd', 'sbatch', 'squeue', 'scontrol', 'scancel', 'sinfo', 'munged']


def install_slurm() -> str | None:
    "Install Debian's Slurm and munge packages when they are missing: None when installed, else why not."
    if all(shutil.which(b) for b in BINARIES): return None
    if os.geteuid() != 0: return 'Slurm is not installed, and installing it needs root'
    if not shutil.which('apt-get'): return 'Slurm is not installed, and this machine has no apt-get to install it'
    env = {**os.environ, 'DEBIAN_FRONTEND': 'noninteractive'}
    for cmd in (['apt-get', 'update', '-q'], ['apt-get', 'install', '-y', '-q', '--no-install-recommends', *PACKAGES]):
        try: r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as e: return f"{' '.join(cmd)} failed: {e}"
        if r.returncode: return f"{' '.join(cmd)} failed: {r.stderr.strip()[-500:]}"
    missing = [b for b in BINARIES if not shutil.which(b)]
    return f'after installing {PACKAGES}, still missing: {missing}' if missing else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


class LocalSlurm:
    "slurmctld + slurmd + munged on localhost, configured and run from `folder`."
    def __init__(self, folder: Path, cpus: int = 4, gpus: int = 4, memory_mb: int = 8000):
        self.folder, self.cpus, self.gpus, self.memory_mb = Path(folder), cpus, gpus, memory_mb
        self.conf = self.folder / 'slurm.conf'
        self.node = socket.gethostname().split('.')[0]
        self.env = {**os.environ, 'SLURM_CONF': str(self.conf)}
        self.pid_files = []

    def _fake_gpus(self) -> str:
        "gres.conf lines: `gpus` character devices that are /dev/null (1, 3); a single File=/dev/null if mknod fails."
        files = []
        for i in range(self.gpus):
            f = self.folder / f'fakegpu{i}'
            try: os.mknod(f, 0o666 | 0o020000, os.makedev(1, 3))
            except OSError: files = []; break
            files.append(f)
        if not files: self.gpus = 1; return f'NodeName={self.node} Name=gpu Type=fake File=/dev/null\n'
        return f'NodeName={self.node} Name=gpu Type=fake File={self.folder}/fakegpu[0-{self.gpus - 1}]\n'

    def start(self, timeout: float = 60) -> None:
        f = self.folder
        for d in ('state', 'spool', 'log', 'munge'): (f / d).mkdir(parents=True, exist_ok=True)
        key = f / 'munge' / 'munge.key'
        key.write_bytes(os.urandom(1024)); key.chmod(0o400)
        sock = f / 'munge' / 'munge.sock'
        subprocess.run(['munged', f'--socket={sock}', f'--key-file={key}', f'--pid-file={f}/munge/munged.pid',
                        f'--log-file={f}/log/munged.log', f'--seed-file={f}/munge/munged.seed', '--force'],
                       check=True, capture_output=True, text=True)
        self.pid_files.append(f / 'munge' / 'munged.pid')
        gres = self._fake_gpus()
        (f / 'gres.conf').write_text(gres)
        self.conf.write_text('\n'.join([
            'ClusterName=flowmbpotest', f'SlurmctldHost={self.node}(127.0.0.1)',
            f'SlurmctldPort={_free_port()}', f'SlurmdPort={_free_port()}',
            'SlurmUser=root', 'SlurmdUser=root', 'AuthType=auth/munge', 'CredType=cred/munge',
            # cred_expire also delays a requeued job's restart (Slurm's default: 120 s)
            f'AuthInfo=socket={sock},cred_expire=10',
            f'StateSaveLocation={f}/state', f'SlurmdSpoolDir={f}/spool',
            f'SlurmctldPidFile={f}/slurmctld.pid', f'SlurmdPidFile={f}/slurmd.pid',
            f'SlurmctldLogFile={f}/log/slurmctld.log', f'SlurmdLogFile={f}/log/slurmd.log',
            'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none',
            'SchedulerType=sched/builtin', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core_Memory',
            'GresTypes=gpu', 'ReturnToService=2', 'JobRequeue=1', 'KillWait=10', 'MinJobAge=600',
            'AccountingStorageType=accounting_storage/none', 'JobAcctGatherType=jobacct_gather/none',
            'JobCompType=jobcomp/none', 'MpiDefault=none', 'SlurmdParameters=config_overrides', 'DefMemPerCPU=500',
            f'NodeName={self.node} NodeAddr=127.0.0.1 CPUs={self.cpus} RealMemory={self.memory_mb} '
            f'Gres=gpu:fake:{self.gpus} State=UNKNOWN',
            'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP', '']))
        for daemon in ('slurmctld', 'slurmd'):
            subprocess.run([daemon, '-f', str(self.conf)], check=True, capture_output=True, text=True, env=self.env)
            self.pid_files.append(f / f'{daemon}.pid')
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = subprocess.run(['sinfo', '-h', '-o', '%t'], capture_output=True, text=True, env=self.env)
            if r.stdout.strip() == 'idle': return
            time.sleep(1)
        raise RuntimeError(f'the test Slurm node did not become idle in {timeout} s: sinfo says {r.stdout!r} {r.stderr!r}; '
                           f'logs in {f}/log')

    def run(self, *cmd, check=True) -> subprocess.CompletedProcess:
        "A Slurm client command against this cluster."
        return subprocess.run(list(cmd), capture_output=True, text=True, env=self.env, check=check)

    def wait(self, job_id: str, timeout: float) -> None:
        "Wait until no task of `job_id` is pending or running (requeued tasks included)."
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not self.run('squeue', '-h', '-j', job_id, check=False).stdout.strip(): return
            time.sleep(2)
        raise TimeoutError(f'job {job_id} still queued or running after {timeout} s:\n'
                           + self.run('squeue', '-j', job_id, check=False).stdout)

    def stop(self) -> None:
        "Cancel every job and stop the daemons this object started."
        self.run('scancel', f'--user={getpass.getuser()}', check=False)
        for pid_file in reversed(self.pid_files):
            try: os.kill(int(pid_file.read_text().split()[0]), 15)
            except (OSError, ValueError): pass
        time.sleep(1)
