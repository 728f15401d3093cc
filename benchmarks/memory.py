"""Server memory: one session trained for 1,000,000 epochs, and sessions of closed tabs being released.

    .venv/bin/python benchmarks/memory.py

Measures the `streamlit run` process's resident memory (RSS) through the websocket client. Released sessions show
as a plateau: Python reuses the freed memory for the next sessions rather than returning it to the system.
Not a test.
"""

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.harness import Server, rss_mb
from tests.load.client import AppSession


async def train_session(url: str, epochs: int, keep_open: bool = False) -> AppSession:
    app = AppSession(url)
    await app.open()
    await app.set_number("target_epochs", epochs, as_int=True)
    await app.click("train")
    if not keep_open:
        await app.close()
    return app


async def main() -> None:
    # Streamlit keeps a disconnected session for server.disconnectedSessionTTL seconds (120 by default) so that a
    # dropped connection can resume it; a short TTL here shows the release without waiting minutes.
    server = Server(extra_args=("--server.disconnectedSessionTTL", "2"))
    pid = server.proc.pid
    try:
        warm = await train_session(server.url, 1000)  # imports, caches and the first session
        base = rss_mb(pid)
        print(f"after one small session: {base:.1f} MB")
        app = await train_session(server.url, 1_000_000, keep_open=True)
        print(f"one session trained to 1,000,000 epochs: {rss_mb(pid):.1f} MB (+{rss_mb(pid) - base:.1f} MB)")
        await app.close()
        await warm.close()
        for round_ in range(1, 6):
            sessions = await asyncio.gather(*(train_session(server.url, 100_000, keep_open=True) for _ in range(20)))
            opened = rss_mb(pid)
            for s in sessions:
                await s.close()
            await asyncio.sleep(8)  # past the TTL, and past the server's next clean-up pass
            print(f"round {round_}: 20 sessions open (100,000 epochs each) {opened:.1f} MB, "
                  f"after their tabs closed {rss_mb(pid):.1f} MB")
    finally:
        server.stop()


if __name__ == "__main__":
    asyncio.run(main())
