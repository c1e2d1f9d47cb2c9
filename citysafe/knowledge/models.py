"""The knowledge base: documents (laws, regulations, standards, county documents, accident
cases) split into divisions and articles, synonyms for search, accident cases and questions.

Everything here is county-wide reference material: `scope = PUBLIC` (every signed-in user
reads it); anonymous visitors read published documents only (selectors.public_documents).
Writes go through services.py (admin only, audited).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.scope_fields import PUBLIC, Ref


class Document(models.Model):
    class Kind(models.TextChoices):
        LAW = "law", _("法律")
        ADMINISTRATIVE_REGULATION = "administrative_regulation", _("行政法规")
        DEPARTMENTAL_RULE = "departmental_rule", _("部门规章")
        LOCAL_REGULATION = "local_regulation", _("地方性法规")
        COUNTY_DOCUMENT = "county_document", _("县级文件")
        NATIONAL_STANDARD = "national_standard", _("国家标准")
        INDUSTRY_STANDARD = "industry_standard", _("行业标准")
        ACCIDENT_CASE = "accident_case", _("事故案例")

    class Status(models.TextChoices):
        VALID = "valid", _("现行有效")
        AMENDED = "amended", _("已被修改")
        REPEALED = "repealed", _("已废止")
        NOT_YET_EFFECTIVE = "not_yet_effective", _("尚未施行")

    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    short_title = models.CharField(_("简称"), max_length=100, db_index=True,
                                   help_text=_("引用时使用的名称，如“安全生产法”；同一文件的各个版本简称相同"))
    number = models.CharField(_("文号或标准号"), max_length=100, blank=True)
    issuer = models.CharField(_("制定机关"), max_length=100, blank=True, db_index=True)
    promulgated_on = models.DateField(_("公布日期"), null=True, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    version_date = models.DateField(_("版本日期"), null=True, blank=True)
    status = models.CharField(_("效力"), max_length=20, choices=Status.choices, default=Status.VALID)
    is_current = models.BooleanField(_("最新版本"), default=True)
    previous = models.OneToOneField("self", verbose_name=_("上一版本"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="next_version")
    is_published = models.BooleanField(_("已公开"), default=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False)
    history = models.TextField(_("制定和修改经过"), blank=True)
    preamble = models.TextField(_("序言或说明"), blank=True)
    source_name = models.CharField(_("来源文件"), max_length=255, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    scope = PUBLIC
    references = {"previous": Ref.system()}

    class Meta:
        verbose_name = _("法规文件")
        verbose_name_plural = _("法规文件")
        ordering = ["kind", "short_title", "-version_date"]
        constraints = [models.UniqueConstraint(fields=["short_title"], condition=models.Q(is_current=True),
                                               name="knowledge_one_current_version")]

    def __str__(self):
        return self.title


class Division(models.Model):
    """A part, chapter or section (编/章/节) of a document."""

    class Kind(models.TextChoices):
        PART = "part", _("编")
        CHAPTER = "chapter", _("章")
        SECTION = "section", _("节")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="divisions")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField(_("层级"), max_length=10, choices=Kind.choices)
    number = models.PositiveIntegerField(_("序号"))
    label = models.CharField(_("编号"), max_length=20)
    title = models.CharField(_("名称"), max_length=200, blank=True)
    position = models.PositiveIntegerField()

    scope = PUBLIC
    references = {"document": Ref.system(), "parent": Ref.system()}

    class Meta:
        verbose_name = _("编章节")
        verbose_name_plural = _("编章节")
        ordering = ["document", "position"]

    def __str__(self):
        return f"{self.label} {self.title}".strip()


class Article(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="articles")
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.CASCADE, related_name="articles")
    key = models.CharField(_("条号键"), max_length=20, help_text=_("文件内稳定：41、134-1、2.8"))
    label = models.CharField(_("条号"), max_length=30)
    number = models.PositiveIntegerField()
    sub = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveIntegerField()
    text = models.TextField(_("条文"))
    heading_path = models.CharField(_("所在章节"), max_length=300, blank=True)
    tokens = models.TextField(_("分词"), blank=True, help_text=_("检索索引的分词结果（jieba）"))

    scope = PUBLIC
    references = {"document": Ref.system(), "division": Ref.system()}

    class Meta:
        verbose_name = _("条文")
        verbose_name_plural = _("条文")
        ordering = ["document", "position"]
        constraints = [models.UniqueConstraint(fields=["document", "key"], name="knowledge_article_key_unique")]

    def __str__(self):
        return f"{self.document.short_title} {self.label}"

    @property
    def anchor(self) -> str:
        return f"art-{self.key}"

    @property
    def reference(self) -> str:
        """The stable citation other capabilities store: "安全生产法 第四十一条"."""
        return f"{self.document.short_title} {self.label}"

    @property
    def paragraphs(self) -> list[str]:
        return [line for line in self.text.split("\n") if line.strip()]


class Synonym(models.Model):
    """A term the search also reads as another: "安法" → "安全生产法" (editable, seeded)."""

    term = models.CharField(_("词语"), max_length=50, unique=True)
    expansion = models.CharField(_("同义或全称"), max_length=100)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} → {self.expansion}"


from citysafe.knowledge.case_models import AccidentCase  # noqa: E402,F401  (models of this app)
from citysafe.knowledge.question_models import Question  # noqa: E402,F401

__all__ = ["Document", "Division", "Article", "Synonym", "AccidentCase", "Question"]
