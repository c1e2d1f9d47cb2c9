"""The Q&A channel's pages: the public form (CAPTCHA, rate limit) and FAQ; staff answering."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from citysafe.knowledge import selectors
from citysafe.knowledge.forms import AnswerForm, AskForm
from citysafe.knowledge.models import Question
from citysafe.knowledge.services.questions import RateLimited, answer_question, ask_question, set_question_status


def faq(request):
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ask_question(request.META.get("REMOTE_ADDR", ""), question=data["question"],
                         asker_name=data["asker_name"], contact=data["contact"])
        except RateLimited:
            form.add_error(None, _("提问过于频繁，请一小时后再试"))
            return render(request, "knowledge/faq.html", {"form": form, "questions": selectors.published_questions()},
                          status=429)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("问题已提交，工作人员答复后，有代表性的问答将在此公开"))
            return redirect("knowledge:faq")
    return render(request, "knowledge/faq.html", {"form": form, "questions": selectors.published_questions()[:100]})


@login_required
def inbox(request):
    rows = selectors.open_questions(request.user)
    if not rows.exists() and not selectors.sees_unpublished(request.user) and request.user.role != "department":
        raise PermissionDenied
    return render(request, "knowledge/questions.html", {"questions": rows[:200]})


@login_required
def answer(request, pk: int):
    question = get_object_or_404(selectors.open_questions(request.user), pk=pk)
    form = AnswerForm(request.POST or None, initial={"answer": question.answer,
                                                     "citations": "\n".join(question.citations)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "reject":
                set_question_status(request.user, pk, Question.Status.REJECTED)
            else:
                answer_question(request.user, pk, answer=data["answer"], citations=data["citations"].splitlines(),
                                publish=data["action"] == "publish")
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("已保存"))
            return redirect("knowledge:questions")
    return render(request, "knowledge/answer.html", {"question": question, "form": form})
