from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Service accounts exist for other government systems' API tokens; a page session
    for them would bypass token expiry and revocation."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_service_account:
            raise ValidationError(_("系统接入账户不能登录页面"), code="service_account")


class AuditedPasswordChangeForm(PasswordChangeForm):
    """Django's own-password form (old password checked, validators run), saved through the
    audited account service."""

    def save(self, commit=True):
        from citysafe.accounts.services import change_own_password

        return change_own_password(self.user, self.cleaned_data["new_password1"])
