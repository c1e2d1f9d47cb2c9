"""The layering of the code base (pyproject.toml [tool.importlinter]), checked by import-linter
on every test run: core imports no app, accounts does not import the registry (so the two form
no cycle), kernels import neither Django nor citysafe, and every package under citysafe/ has a
place in the layers."""
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(*args: str, cwd: Path = ROOT, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    command = Path(sys.executable).parent / "lint-imports"
    executable = str(command) if command.exists() else shutil.which("lint-imports")
    assert executable, "import-linter is not installed (it is in the test extra: pip install -e '.[test]')"
    env = None
    if pythonpath is not None:
        import os

        env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([executable, "--no-cache", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_core_imports_no_app_and_accounts_does_not_import_the_registry():
    result = lint_imports("--contract", "layers")
    assert result.returncode == 0, result.stdout + result.stderr


def test_kernels_import_neither_django_nor_citysafe():
    result = lint_imports("--contract", "kernels")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_core_module_importing_an_app_breaks_the_contract(tmp_path):
    """The check itself bites: the same kind of contract on a small package whose core imports
    one of its apps fails, naming the import."""
    package = tmp_path / "layerdemo"
    (package / "core").mkdir(parents=True)
    (package / "app").mkdir()
    for folder in (package, package / "core", package / "app"):
        (folder / "__init__.py").write_text("")
    (package / "app" / "models.py").write_text("ROLE = 'admin'\n")
    (package / "core" / "scope.py").write_text("from layerdemo.app.models import ROLE\n")
    (tmp_path / ".importlinter").write_text(textwrap.dedent("""\
        [importlinter]
        root_package = layerdemo

        [importlinter:contract:layers]
        name = Core imports no app
        type = layers
        containers = layerdemo
        layers =
            app
            core
        exhaustive = true
    """))
    result = lint_imports(cwd=tmp_path, pythonpath=tmp_path)
    assert result.returncode != 0
    assert "layerdemo.core.scope -> layerdemo.app.models" in result.stdout
