"""The data import/export page names its kinds of data in the reader's language."""
from django.conf import settings
from django.test import Client
from django.urls import reverse

KINDS = {"企业": "Enterprises", "人员": "Persons", "场所设施": "Places and facilities",
         "组织机构": "Organisations", "行政区域": "Administrative areas"}


def io_page(user, language=None) -> str:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("io:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_io_page_names_the_kinds_in_english_for_an_english_reader(world):
    english = io_page(world.admin, "en")
    for chinese, name in KINDS.items():
        assert f'">{name}</option>' in english or f"<td>{name}</td>" in english, name
        assert f">{chinese}<" not in english.split("<main", 1)[1], chinese


def test_io_page_names_the_kinds_in_chinese_by_default(world):
    chinese = io_page(world.admin)
    for name in KINDS:
        assert f"<td>{name}</td>" in chinese
