from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from citysafe.accounts.forms import AuditedPasswordChangeForm, LoginForm

# No app_name: Django's auth views and LOGIN_URL expect the plain names "login" etc.
# The home page ("/", name "home") is the registry's: citysafe.registry.home, in config/urls.py.
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(form_class=AuditedPasswordChangeForm,
                                              success_url=reverse_lazy("password_change_done")),
         name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
