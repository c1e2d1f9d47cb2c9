"""What a new user of the demo meets outside the registry pages: the icon the browser asks
for, the lock-out page after too many wrong passwords, and the accounts the README names."""
import re

from django.conf import settings
from django.urls import reverse

from citysafe.accounts.models import User
from citysafe.registry.demo.accounts import DEMO_ACCOUNTS
from conftest import DEMO_PASSWORD


def test_favicon_ico_answers_with_an_icon_and_pages_link_the_svg(client, world):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # ICO header
    login_page = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in login_page and "favicon.svg" in login_page


def test_lockout_page_says_how_long_in_chinese_and_links_back_to_login(client, world):
    username = world.leader.username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": username, "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    page = response.content.decode()
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assert response.status_code == 429
    assert f"临时锁定 {minutes} 分钟" in page
    assert f'href="{reverse("login")}"' in page and "返回登录页" in page


def _readme_demo_usernames() -> set[str]:
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Demo accounts", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    username_cells = [row.split("|")[2] for row in rows]  # | role | username | sees |
    return {name for cell in username_cells for name in re.findall(r"`([A-Za-z0-9_]+)`", cell)}


def test_every_account_the_readme_names_exists_in_the_demo_county(world):
    from citysafe.registry.demo.second_county import build_second_county

    build_second_county(DEMO_PASSWORD)  # pref_admin, gh_admin: `make demo` loads the second county too
    named = _readme_demo_usernames()
    assert {"admin", "leader", "township_01"} <= named
    assert named == {username for _, username, _ in DEMO_ACCOUNTS}
    missing = named - set(User.objects.filter(username__in=named).values_list("username", flat=True))
    assert not missing
    assert all(User.objects.get(username=u).check_password(DEMO_PASSWORD)
               for u in ("admin", "township_01", "pref_admin", "gh_admin"))


def test_the_readme_says_what_make_demo_loads_and_names_the_gathering_authoritys_account(world):
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    demo_line = next(line for line in readme.splitlines() if line.startswith("make demo"))
    # Every loader `make demo` runs is named on the README's line (a new app's loader must be added
    # to WORDS and to the README together).
    words = {"load_demo": "county", "load_laws": "laws", "load_risk_demo": "risks",
             "load_gathering_demo": "gatherings", "load_hazard_demo": "hazards",
             "load_emergency_demo": "emergency", "load_monitoring_demo": "monitoring",
             "load_warning_demo": "warnings", "load_assessment_demo": "assessment",
             "load_siting_demo": "siting", "load_construction_demo": "construction",
             "load_enforcement_demo": "enforcement", "load_supervision_demo": "supervision",
             "load_credit_demo": "credit", "load_second_county": "second county",
             "load_prefecture_assessment": "prefecture's assessment"}
    makefile = (settings.BASE_DIR / "Makefile").read_text(encoding="utf-8")
    demo_target = makefile.split("\ndemo:")[1].split("\n\n")[0]
    loaders = re.findall(r"manage\.py (load_\w+)", demo_target)
    assert len(loaders) >= 9
    for loader in loaders:
        assert loader in words, f"{loader}: name it in the README's make demo line and here"
        assert words[loader] in demo_line, words[loader]
    assert "dept_gaj" in _readme_demo_usernames()
    assert "dept_gaj" in {username for _, username, _ in DEMO_ACCOUNTS}
    assert User.objects.get(username="dept_gaj").check_password(DEMO_PASSWORD)
