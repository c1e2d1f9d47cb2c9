"""The systemd units of deploy/systemd run commands that exist with options they accept, read
only settings config/settings.py knows, and pass `systemd-analyze verify`."""
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.stack import DEPLOY, ROOT

UNITS = DEPLOY / "systemd"
VENV = "/srv/citysafe/venv"


def _exec_lines(unit: Path, *, commented: bool = False) -> list[str]:
    """ExecStart lines, continuation lines joined (commented variants too when asked)."""
    text = re.sub(r"\\\n\s*", " ", unit.read_text())
    prefix = r"#?" if commented else ""
    return re.findall(rf"^{prefix}ExecStart=(.+)$", text, flags=re.M)


def _manage_commands():
    for unit in sorted(UNITS.glob("*.service")):
        for line in _exec_lines(unit):
            if " -c " in line:   # a shell wrapper (the backup): its manage.py call is inside the quotes
                line = line.split(" -c ", 1)[1].strip("'").removeprefix("exec ")
            words = shlex.split(line.replace("$(", "(").replace("%%", "%"))
            if "manage.py" in words:
                yield unit.name, words[words.index("manage.py") + 1:]


@pytest.mark.parametrize(("unit", "argv"), list(_manage_commands()), ids=lambda v: v if isinstance(v, str) else "")
def test_each_units_manage_py_command_accepts_its_options(unit, argv):
    command, options = argv[0], [word for word in argv[1:] if word.startswith("--")]
    help_text = subprocess.run([sys.executable, "manage.py", command, "--help"], cwd=ROOT, capture_output=True,
                               text=True, env={"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x",
                                               "PATH": "/usr/bin:/bin"})
    assert help_text.returncode == 0, help_text.stderr
    for option in options:
        assert option in help_text.stdout, f"{unit}: manage.py {command} has no {option}"


def test_the_environment_file_names_only_settings_the_platform_reads():
    settings_text = (ROOT / "config" / "settings.py").read_text()
    names = re.findall(r"^#?([A-Z][A-Z0-9_]+)=", (DEPLOY / "citysafe.env.example").read_text(), flags=re.M)
    units_text = "".join(unit.read_text() for unit in UNITS.iterdir())
    # read by the units themselves, or by the Redis task backend being added (issue 19)
    own = {name for name in names if "${" + name + "}" in units_text} | {"REDIS_URL"}
    unknown = [name for name in names if name not in own and f'"{name}"' not in settings_text]
    assert not unknown, f"not read by config/settings.py: {unknown}"


def test_units_pass_systemd_analyze_verify(tmp_path):
    """Instances of the templates, with the virtualenv path pointed at this one (verify checks
    that the executables exist)."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze (package systemd) is not installed")
    venv = str(Path(sys.executable).parent.parent)
    names = []
    for unit in UNITS.iterdir():
        text = unit.read_text().replace(VENV, venv)
        name = unit.name.replace("@.", "@1.")
        (tmp_path / name).write_text(text)
        names.append(name)
    result = subprocess.run(["systemd-analyze", "verify", *sorted(names)], cwd=tmp_path, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    # verify only warns about unknown keys and unparsable values: any output is a mistake
    assert result.stderr.strip() == "", result.stderr
