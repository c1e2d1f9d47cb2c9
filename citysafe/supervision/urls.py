from django.urls import path

from citysafe.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("classes/", views.class_list, name="classes"),
    path("classes/<int:pk>/", views.class_detail, name="class"),
    path("classes/rule/", views.rule_page, name="rule"),
    path("draws/", views.draw_list, name="draws"),
    path("draws/<int:pk>/", views.draw_detail, name="draw"),
    path("roster/", views.roster_page, name="roster"),
    path("public/", views.public_draws, name="public"),
]
