"""nginx in front of several `streamlit run` replicas on loopback, from deploy/nginx.conf.template."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.e2e.harness import Server, free_port

ROOT = Path(__file__).resolve().parents[2]


def nginx_path() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


class Balancer:
    def __init__(self, replicas: int = 2):
        self.replicas = [Server() for _ in range(replicas)]
        self.work = Path(tempfile.mkdtemp(prefix="nginx-"))
        (self.work / "tmp").mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        conf = (ROOT / "deploy" / "nginx.conf.template").read_text()
        conf = conf.replace("LISTEN_PORT", str(self.port)).replace(
            "UPSTREAM_SERVERS", " ".join(f"server 127.0.0.1:{r.port};" for r in self.replicas))
        (self.work / "nginx.conf").write_text(conf)
        self.proc = subprocess.Popen([nginx_path(), "-p", str(self.work), "-c", str(self.work / "nginx.conf"),
                                      "-g", "daemon off;"], stderr=subprocess.PIPE)
        for _ in range(100):
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("nginx did not come up")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        for r in self.replicas:
            r.stop()
        shutil.rmtree(self.work, ignore_errors=True)
