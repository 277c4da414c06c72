import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = str(ROOT / "plugins")
HERE = str(Path(__file__).resolve().parent)
for path in (PLUGINS, HERE):  # HERE: the shared case helpers (companies_cases.py)
    if path not in sys.path:
        sys.path.insert(0, path)

from companies.core import CompanyDetector, load_registry, parse_registry  # noqa: E402

REGISTRY = ROOT / "content" / "data" / "companies.yaml"


@pytest.fixture(scope="session")
def registry():
    return load_registry(REGISTRY, languages=["fr", "en"])


@pytest.fixture(scope="session")
def detector(registry):
    return CompanyDetector(registry)


@pytest.fixture
def detector_for():
    """A detector over a small registry written in the test: detector_for("companies: [...]")."""
    def build(yaml_text):
        return CompanyDetector(parse_registry(yaml_text.encode("utf-8"), "test-companies.yaml"))
    return build
