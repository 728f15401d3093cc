"""HAProxy in front of several `streamlit run` replicas on loopback, from deploy/haproxy.cfg.template."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.e2e.harness import Server, free_port

ROOT = Path(__file__).resolve().parents[2]


def haproxy_path() -> str | None:
    return shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)


class Balancer:
    """``replicas`` servers (named r1, r2, … as in the balancer's cookie) behind HAProxy at ``url``, configured by
    ``template`` (this tree's, or an older commit's for a benchmark); each replica runs ``script`` (serve.py, as the
    Docker image does) with ``env`` added to its environment (ROOMS_REDIS_URL)."""

    def __init__(self, replicas: int = 2, extra_args: tuple[str, ...] = (), cwd: Path = ROOT,
                 template: Path = ROOT / "deploy" / "haproxy.cfg.template", script: str = "app.py",
                 env: dict | None = None):
        self.replicas = {f"r{i + 1}": Server(extra_args=extra_args, cwd=cwd, script=script, env=env)
                         for i in range(replicas)}
        self.work = Path(tempfile.mkdtemp(prefix="haproxy-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        servers = "\n    ".join(f"server {name} 127.0.0.1:{r.port} check inter 1s cookie {name}"
                                for name, r in self.replicas.items())
        lines = template.read_text().splitlines()
        fill = {"bind LISTEN_ADDRESS": f"bind 127.0.0.1:{self.port}", "REPLICA_SERVERS": servers}  # (not in comments)
        conf = "\n".join(line.replace(line.strip(), fill.get(line.strip(), line.strip())) for line in lines) + "\n"
        (self.work / "haproxy.cfg").write_text(conf)
        self.log = open(self.work / "haproxy.log", "w")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen([haproxy_path(), "-db", "-f", str(self.work / "haproxy.cfg")],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.1)
        log = (self.work / "haproxy.log").read_text()
        self.stop()
        raise RuntimeError(f"HAProxy did not come up: {log}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self.log.close()
        for r in self.replicas.values():
            r.stop()
        shutil.rmtree(self.work, ignore_errors=True)
