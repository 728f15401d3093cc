from tests.e2e.conftest import browser  # noqa: F401  (the same headless Chromium)
