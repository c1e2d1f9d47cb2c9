"""Chinese by default; English for a user who switches (pages) or an API client that asks.

Chinese msgids are the source text, so the Chinese pages need no catalogue; the English ones
come from locale/en. Each test checks both sides so that a page that ignores the language
(or an untranslated string) shows up as a failure.
"""
import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def choose_english(client: Client) -> Client:
    """What the language switcher leaves behind: the language cookie."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_login_page_is_chinese_by_default():
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert html_lang(response) == "zh-Hans"
    assert "登录" in text(response) and "Sign in" not in text(response)


@pytest.mark.django_db
def test_pages_stay_chinese_for_a_browser_that_merely_prefers_english():
    response = Client().get(reverse("login"), **ENGLISH)
    assert html_lang(response) == "zh-Hans"
    assert "登录" in text(response)


@pytest.mark.django_db
def test_login_page_is_english_once_the_user_chooses_english():
    response = choose_english(Client()).get(reverse("login"))
    assert html_lang(response) == "en"
    body = text(response)
    assert "Sign in" in body and "Username" in body and "Password" in body
    assert "登录" not in body


def test_home_page_follows_the_chosen_language(world):
    client = Client()
    client.force_login(world.admin)
    chinese = text(client.get(reverse("home")))
    english = text(choose_english(client).get(reverse("home")))
    assert "工作台" in chinese and "企业" in chinese
    assert "Dashboard" in english and "Enterprises" in english and "Places and facilities" in english
    assert "工作台" not in english


def test_enterprise_list_follows_the_chosen_language(world):
    client = Client()
    client.force_login(world.township_officer)
    url = reverse("registry:list", args=["enterprises"])
    chinese = text(client.get(url))
    english = text(choose_english(client).get(url))
    assert "<h1>企业</h1>" in chinese
    assert "<h1>Enterprises</h1>" in english
    assert "Search" in english and "搜索" not in english
    # Record data stays as registered: only the interface changes language.
    assert world.enterprise_in_a.name in english


def test_switcher_posts_to_set_language_and_the_choice_sticks(world):
    client = Client()
    client.force_login(world.department)
    home = text(client.get(reverse("home")))
    assert f'action="{reverse("set_language")}"' in home
    assert 'value="en"' in home and ">English</button>" in home and ">中文</button>" in home

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "Dashboard" in text(client.get(reverse("home")))

    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("home")})
    assert "工作台" in text(client.get(reverse("home")))


def test_language_chosen_on_the_login_page_carries_over_after_signing_in(world):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Sign in" in text(client.get(reverse("login")))
    client.force_login(world.leader)
    assert "Dashboard" in text(client.get(reverse("home")))


def _post_enterprise(client, payload, **headers):
    return client.post("/api/v1/enterprises", json.dumps(payload), content_type="application/json", **headers)


def _bad_uscc_enterprise(world):
    return {"name": "新企业", "uscc": "123", "industry_id": world.enterprise.industry_id,
            "lon": world.enterprise.lon, "lat": world.enterprise.lat}


def test_api_validation_error_is_chinese_by_default_and_english_on_request(world):
    client = Client()
    client.force_login(world.admin)
    chinese = _post_enterprise(client, _bad_uscc_enterprise(world))
    english = _post_enterprise(client, _bad_uscc_enterprise(world), **ENGLISH)
    assert chinese.status_code == english.status_code == 422
    assert chinese.json()["detail"][0]["type"] == english.json()["detail"][0]["type"] == "uscc_length"
    assert "统一社会信用代码" in chinese.json()["detail"][0]["msg"]
    assert english.json()["detail"][0]["msg"] == "The unified social credit code (USCC) must be 18 characters (GB 32100)"


def test_api_schema_error_is_english_on_request(world):
    client = Client()
    client.force_login(world.admin)
    payload = {"uscc": "91622926MA0000077X"}  # no name: pydantic's "missing" rule
    chinese = {item["loc"][-1]: item["msg"] for item in _post_enterprise(client, payload).json()["detail"]}
    response = _post_enterprise(client, payload, **ENGLISH)
    assert response.status_code == 422
    english = {item["loc"][-1]: item["msg"] for item in response.json()["detail"]}
    assert chinese["name"] == "此字段为必填项"
    assert english["name"] == "This field is required"
