"""Page forms of the knowledge base."""
from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from citysafe.knowledge.models import Document, Question


class SearchForm(forms.Form):
    q = forms.CharField(label=_("检索词"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *Document.Kind.choices])
    issuer = forms.CharField(label=_("制定机关"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("效力"), required=False, choices=[("", _("全部")), *Document.Status.choices])
    page = forms.IntegerField(min_value=1, max_value=50, required=False)


class AskForm(forms.Form):
    asker_name = forms.CharField(label=_("称呼（选填）"), max_length=50, required=False)
    contact = forms.CharField(label=_("联系方式（选填）"), max_length=100, required=False)
    question = forms.CharField(label=_("问题"), min_length=5, max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    captcha = CaptchaField(label=_("验证码"))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    citations = forms.CharField(label=_("引用条款（每行一条，如“安全生产法 第四十一条”）"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    action = forms.ChoiceField(choices=[("answer", _("答复")), ("publish", _("答复并公开")), ("reject", _("不予答复"))])


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（Markdown、文本或 Word .docx）"))
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("自动判断")), *Document.Kind.choices])
    issuer = forms.CharField(label=_("制定机关（选填）"), max_length=100, required=False)
    short_title = forms.CharField(label=_("简称（选填）"), max_length=100, required=False)


__all__ = ["SearchForm", "AskForm", "AnswerForm", "ImportForm", "Question"]
