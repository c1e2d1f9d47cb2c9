from django.urls import path

from citysafe.knowledge.views import manage, public, questions

app_name = "knowledge"

urlpatterns = [
    path("", public.search, name="search"),
    path("documents/", public.documents, name="documents"),
    path("documents/<int:pk>/", public.document, name="document"),
    path("documents/<int:pk>/changes/", public.changes, name="changes"),
    path("cite/", public.cite, name="cite"),
    path("cases/", public.cases, name="cases"),
    path("cases/<int:pk>/", public.case, name="case"),
    path("faq/", questions.faq, name="faq"),
    path("questions/", questions.inbox, name="questions"),
    path("questions/<int:pk>/", questions.answer, name="answer"),
    path("import/", manage.import_page, name="import"),
]
