"""The house's shape: stages import only downwards, no import cycles, resources in the package."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from editions import PROJECT

PACKAGE = PROJECT / "src" / "rapportpaket"
# Lower stages first; a module may import its own stage and the stages before it.
STAGES = ("errors", "support", "edition", "scoring", "documents", "delivery", "commands", "cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Return the rapportpaket modules `path` imports, at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("rapportpaket"):
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("rapportpaket"))
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports_of(path) if m in modules} for name, path in modules.items()}


def stage_of(module: str) -> int:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else -1


def test_stages_import_only_downwards() -> None:
    upward = [
        f"{module} imports {target}"
        for module, targets in graph().items()
        for target in targets
        if stage_of(target) > stage_of(module) >= 0
    ]
    assert upward == []


def test_no_import_cycles() -> None:
    edges = graph()
    state: dict[str, str] = {}
    cycles: list[str] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                cycles.append(" → ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_templates_are_package_data() -> None:
    templates = PACKAGE / "templates"
    assert (templates / "deck" / "template.pptx").is_file()
    assert (templates / "pdf" / "report.html").is_file()
    assert not (PROJECT / "templates").exists()
    pyproject = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"templates/*/*"' in pyproject


def test_tests_mirror_the_packages() -> None:
    tests = PROJECT / "tests"
    for folder in (p for p in PACKAGE.iterdir() if p.is_dir() and p.name != "templates"):
        if any(folder.glob("*.py")) and folder.name != "__pycache__":
            assert (tests / folder.relative_to(PACKAGE)).is_dir(), f"no tests/{folder.name}/"


def test_a_wheel_renders_a_package_from_another_folder(tmp_path: Path) -> None:
    """The wheel carries its templates: no file of the source tree is needed to render."""
    wheels, site, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
    build += ["--no-build-isolation", "--wheel-dir", str(wheels), str(PROJECT)]
    subprocess.run(build, check=True, capture_output=True)
    (wheel,) = wheels.glob("rapportpaket-*.whl")
    with zipfile.ZipFile(wheel) as archive:  # a pure-Python wheel installs by unpacking
        archive.extractall(site)
    elsewhere.mkdir()
    code = (
        "import rapportpaket, sys; from rapportpaket.cli import app; "
        "assert rapportpaket.__file__.startswith(sys.argv[1]), rapportpaket.__file__; "
        "app(sys.argv[2:])"
    )
    render = ["render", str(PROJECT / "reports" / "2024"), "--kommun", "0780", "--out", "out"]
    environment = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(site), *render],
        cwd=elsewhere, env=environment, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    package = elsewhere / "out" / "2024" / "0780-vaxjo"
    assert (package / "rapport.pdf").stat().st_size > 10_000
    assert (package / "presentation.pptx").stat().st_size > 10_000
