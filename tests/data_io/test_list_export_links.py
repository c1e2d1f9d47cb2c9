from django.test import Client


def test_list_page_offers_export_of_the_filtered_list_and_it_stays_in_scope(world):
    client = Client()
    client.force_login(world.township_officer)
    page = client.get("/registry/enterprises/", {"q": "加油站"})
    html = page.content.decode()
    assert "/io/export/enterprises/?q=" in html and "format=geojson" in html
    export = client.get("/io/export/enterprises/", {"format": "geojson"})
    body = b"".join(export.streaming_content).decode()
    assert world.enterprise_in_a.uscc in body or world.enterprise_in_a.name in body
    assert world.enterprise_in_b.uscc not in body
