from django.urls import path

from citysafe.risks.map import views

app_name = "risk_map"
urlpatterns = [
    path("", views.map_page, name="page"),
    path("layers/<slug:layer>.geojson", views.layer_geojson, name="layer"),
    path("points/<int:pk>/card.json", views.card, name="card"),
    path("points/<int:pk>/card.pdf", views.card_pdf, name="card_pdf"),
    path("map.<slug:fmt>", views.download, name="download"),
    path("publication/", views.publication_page, name="publication"),
    path("public/", views.public_page, name="public"),
    path("public/layers/base.geojson", views.public_base, name="public_base"),
    path("public/layers/<slug:layer>.geojson", views.public_layer, name="public_layer"),
]
