"""The README stays true: every setting is documented, and docker-compose.yml is valid."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", [f.alias for f in Settings.model_fields.values()])
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"`{name}`" in README


def test_compose_runs_postgres_18_and_the_app_after_it_is_healthy() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    db, app = compose["services"]["db"], compose["services"]["app"]
    assert db["image"].startswith("postgres:18")
    assert "healthcheck" in db
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert any(v.split(":")[0] in compose["volumes"] for v in db["volumes"])


def test_compose_file_is_accepted_by_docker_compose() -> None:
    tool = shutil.which("docker-compose")
    if tool is None:
        pytest.skip("docker-compose is not installed (.ci/run installs Debian's package)")
    result = subprocess.run(
        [tool, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
