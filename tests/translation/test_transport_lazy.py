"""requests loads only when a provider is used, and the guard still exposes all of requests."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_plugin_does_not_load_requests():
    code = ("import sys; sys.path.insert(0, 'plugins'); import translation; "
            "print('requests' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_the_guard_passes_every_other_attribute_to_requests():
    import requests

    from translation.transport import GuardedRequests

    guard = GuardedRequests()
    assert guard.exceptions.RequestException is requests.exceptions.RequestException
    assert guard.codes.ok == 200
