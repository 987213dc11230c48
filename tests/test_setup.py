"""The project's own set-up: environment.yml agrees with pyproject.toml; the README opens with the two commands."""

from __future__ import annotations

import re
import tomllib

import yaml
from conftest import ROOT


def _name(spec: str) -> str:
    """Normalised distribution name of a requirement, with extras as separate names."""
    m = re.match(r"\s*([A-Za-z0-9_.-]+)(?:\[([^\]]+)\])?", spec)
    assert m, spec
    names = {m.group(1).lower().replace("_", "-")}
    for extra in (m.group(2) or "").split(","):
        if extra.strip():
            names.add(f"{m.group(1)}-{extra.strip()}".lower().replace("_", "-"))
    return names


def _pyproject_names() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for extra in ("test", "explore"):
        specs += project["optional-dependencies"][extra]
    return set().union(*(_name(s) for s in specs))


def _environment_names() -> set[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    return set().union(*(_name(d) for d in conda)) - {"python", "pip"}


def test_environment_yml_names_the_same_dependencies():
    assert _environment_names() == _pyproject_names()


def test_environment_yml_versions_agree():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {re.match(r"[A-Za-z0-9_.-]+", d).group(0).lower(): d for d in env["dependencies"] if isinstance(d, str)}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
        name = re.match(r"[A-Za-z0-9_.-]+", spec).group(0).lower()
        bound = re.search(r"[<>=!~].*$", spec)
        if bound:
            assert conda[name].endswith(bound.group(0)), (spec, conda[name])


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    first_block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", text, re.S)
    assert first_block, "README needs a code block with the set-up commands"
    commands = [line.strip() for line in first_block.group(1).splitlines() if line.strip() and not line.startswith("#")]
    assert commands == ["make report", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
