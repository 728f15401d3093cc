"""Debian's redis-server on a free loopback port, for the rooms' scale-out test (nothing written to disk), with a
password as the recipe sets one (deploy/compose.yaml, deploy/kubernetes/redis.yaml): ROOMS_REDIS_URL carries it."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.e2e.harness import free_port


def redis_path() -> str | None:
    return shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.password = secrets.token_hex(16)
        self.url = f"redis://:{self.password}@127.0.0.1:{self.port}/0"
        self.work = tempfile.mkdtemp(prefix="redis-")
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen([redis_path(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", self.work, "--protected-mode", "yes",
                                      "--requirepass", self.password],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        import redis

        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                if client.ping():
                    client.close()
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not come up")

    def restart(self) -> None:
        """Stop and start again on the same port and password: with nothing saved, every room is lost."""
        self.proc.terminate()
        self.proc.wait(10)
        self.start()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.work, ignore_errors=True)
