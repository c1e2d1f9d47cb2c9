from django.urls import path

from citysafe.risks.printouts import views

app_name = "risk_ledgers"
urlpatterns = [
    path("risk-list.xlsx", views.risk_list, name="risk_list"),
]
