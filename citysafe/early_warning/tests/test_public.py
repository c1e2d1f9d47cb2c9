"""Public pages without sign-in: active warnings and their map data, history, CAP by
identifier, Atom feed and CAP index, subscription (CAPTCHA, rate limit, code), danger report."""
import re

from captcha.models import CaptchaStore
from django.test import Client
from lxml import etree

from citysafe.early_warning.cap.export import schema
from citysafe.early_warning.models import DangerReport, Subscription
from citysafe.early_warning.public_services import _digest
from citysafe.notifications.models import Notification


def _captcha(client, url):
    client.get(url)
    store = CaptchaStore.objects.order_by("-id").first()
    return {"captcha_0": store.hashkey, "captcha_1": store.response}


def test_the_public_sees_active_warnings_their_cap_and_the_feeds(world, make_warning, publish):
    warning = publish(make_warning(level=1, townships=[world.township_a, world.township_b]))
    draft = make_warning(headline="尚未发布的草稿")
    client = Client()
    page = client.get("/early-warning/public/")
    assert page.status_code == 200 and warning.headline in page.text and draft.headline not in page.text
    assert 'id="warning-areas"' in page.text and '"colour": "red"' in page.text
    detail = client.get(f"/early-warning/public/{warning.identifier}/")
    assert detail.status_code == 200 and warning.description in detail.text
    cap = client.get(f"/early-warning/public/{warning.identifier}.xml")
    assert cap.status_code == 200
    schema().assertValid(etree.fromstring(cap.content))
    feed = client.get("/early-warning/public/feed.atom")
    assert feed.status_code == 200 and warning.identifier in feed.text
    index = client.get("/early-warning/public/cap-index.atom")
    assert f"/early-warning/public/{warning.identifier}.xml" in index.text
    assert client.get("/early-warning/public/history/").status_code == 200
    assert client.get("/early-warning/public/nonexistent_1/").status_code == 404


def test_a_resident_subscribes_with_a_captcha_and_confirms_with_the_code(world):
    client = Client()
    url = "/early-warning/public/subscribe/"
    wrong = client.post(url, {"channel": "sms", "address": "13900001111", "areas": [world.township_a.pk],
                              "captcha_0": "x", "captcha_1": "WRONG"})
    assert wrong.status_code == 422 and not Subscription.objects.filter(address="13900001111").exists()
    answer = client.post(url, {"channel": "sms", "address": "13900001111", "areas": [world.township_a.pk],
                               **_captcha(client, url)})
    assert answer.status_code == 302
    sent = Notification.objects.get(kind="subscription_code", address="13900001111")
    code = re.search(r"(\d{6})", sent.body).group(1)
    subscription = Subscription.objects.get(address="13900001111")
    assert subscription.confirmed_at is None and subscription.code_digest == _digest(code)
    bad = client.post("/early-warning/public/subscribe/confirm/", {"channel": "sms", "address": "13900001111",
                                                                   "code": "000000" if code != "000000" else "111111"})
    assert bad.status_code == 422
    good = client.post("/early-warning/public/subscribe/confirm/", {"channel": "sms", "address": "13900001111",
                                                                    "code": code})
    assert good.status_code == 200 and 'id="subscription-confirmed"' in good.text
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_subscription_sign_up_is_rate_limited_per_client(world, settings):
    settings.PUBLIC_FORM_PER_HOUR = 2
    client, url = Client(), "/early-warning/public/subscribe/"
    codes = []
    for n in range(3):
        answer = client.post(url, {"channel": "sms", "address": f"1390000200{n}", "areas": [world.township_a.pk],
                                   **_captcha(client, url)})
        codes.append(answer.status_code)
    assert codes == [302, 302, 429]


def test_a_bad_phone_number_is_refused_naming_the_field(world):
    client, url = Client(), "/early-warning/public/subscribe/"
    answer = client.post(url, {"channel": "sms", "address": "12345", "areas": [world.township_a.pk],
                               **_captcha(client, url)})
    assert answer.status_code == 422 and "address" in answer.context["form"].errors


def test_a_citizens_danger_report_is_stored_for_the_township_staff(world):
    from shapely.geometry import shape

    point = shape(world.township_a.geometry).representative_point()
    client, url = Client(), "/early-warning/public/report/"
    answer = client.post(url, {"kind": "landslide", "place": "村口山坡", "description": "山体出现裂缝",
                               "lon": point.x, "lat": point.y, "contact_phone": "13900003333",
                               **_captcha(client, url)})
    assert answer.status_code == 200 and 'id="report-received"' in answer.text
    report = DangerReport.objects.get(place="村口山坡")
    assert report.township_id == world.township_a.pk
    officer = Client()
    officer.force_login(world.township_officer)
    assert "村口山坡" in officer.get("/early-warning/danger-reports/").text
    other = Client()
    other.force_login(world.other_township_officer)
    assert "村口山坡" not in other.get("/early-warning/danger-reports/").text
