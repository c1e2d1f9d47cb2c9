"""Scoring an assessment's inputs: the allowed values come from the editable score tables
(MethodScale), the arithmetic and the grading from kernels.risk_scoring, the thresholds from
the editable MethodThreshold rows. Every refusal names the field (`inputs.<factor>`)."""
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.core.records import ErrorCollector
from citysafe.core.validation import parse_number
from citysafe.risks.models import METHOD_FACTORS, Method, MethodScale, MethodThreshold

FACTOR_NAMES = {"l": gettext_lazy("L（可能性）"), "e": gettext_lazy("E（暴露频繁程度）"), "c": gettext_lazy("C（后果）"),
                "s": gettext_lazy("S（严重程度）"),
                "m": gettext_lazy("M（控制措施状态）")}


@dataclass(frozen=True)
class Scored:
    inputs: dict
    score: float
    level: int


def _kernel_defaults(method: str):
    from kernels import risk_scoring as rs

    return {Method.LEC: (rs.LEC_SCALE, rs.LEC_THRESHOLDS), Method.LS: (rs.LS_SCALE, rs.LS_THRESHOLDS),
            Method.MES: (rs.MES_SCALE, rs.MES_THRESHOLDS)}[method]


def scale_values(method: str) -> dict[str, list[float]]:
    """{factor: allowed values} of one method, from the score table (the standard's defaults,
    kernels.risk_scoring, only if the table holds no row for the method — e.g. after a flush)."""
    values: dict[str, list[float]] = {}
    for factor, value in MethodScale.objects.filter(method=method).values_list("factor", "value"):
        values.setdefault(factor, []).append(value)
    if not values:
        values = {factor: [float(v) for v in allowed] for factor, allowed in _kernel_defaults(method)[0].items()}
    return values


def thresholds(method: str) -> tuple[tuple[float, int], ...]:
    """((inclusive lower bound, level), …), highest bound first — the kernels' shape (the
    standard's defaults if the table holds no row for the method)."""
    rows = MethodThreshold.objects.filter(method=method).order_by("-lower_bound")
    return tuple((row.lower_bound, row.level) for row in rows) or tuple(_kernel_defaults(method)[1])


def compute(method: str, values: dict) -> float:
    from kernels import risk_scoring

    function = {Method.LEC: risk_scoring.lec, Method.LS: risk_scoring.ls, Method.MES: risk_scoring.mes}[method]
    scale = {factor: tuple(sorted(allowed)) for factor, allowed in scale_values(method).items()}
    args = [values[name] for name in METHOD_FACTORS[method]]
    return float(function(*args, scale=scale))


def grade(method: str, score: float) -> int:
    from kernels import risk_scoring

    return int(risk_scoring.grade(score, thresholds(method)))


def score_inputs(method: str, inputs, errors: ErrorCollector) -> Scored | None:
    """Check `inputs` against the method's score table and grade them; None (errors added) if bad."""
    from kernels.risk_scoring import MethodInputError

    factors = METHOD_FACTORS.get(method)
    if factors is None:
        return None
    if not isinstance(inputs, dict):
        errors.add("inputs", _("评估取值须为对象，如 %(example)s") % {
            "example": "{" + ", ".join(f'"{f}": …' for f in factors) + "}"}, "type")
        return None
    allowed = scale_values(method)
    values, ok = {}, True
    for name in sorted(set(inputs) - set(factors)):
        errors.add(f"inputs.{name}", _("该方法没有此因素；应为：%(factors)s") % {
            "factors": "、".join(str(FACTOR_NAMES[f]) for f in factors)}, "unknown_factor")
        ok = False
    for name in factors:
        raw = inputs.get(name)
        number = parse_number(raw) if raw is not None and not isinstance(raw, bool) else None
        choices = sorted(allowed.get(name, ()), reverse=True)
        if raw is None:
            errors.add(f"inputs.{name}", _("%(factor)s为必填项") % {"factor": FACTOR_NAMES[name]}, "required")
            ok = False
        elif not isinstance(number, int | float) or number not in choices:
            errors.add(f"inputs.{name}", _("%(factor)s的取值须为分值表中的值：%(choices)s") % {
                "factor": FACTOR_NAMES[name], "choices": "、".join(f"{v:g}" for v in choices)}, "off_scale")
            ok = False
        else:
            values[name] = number
    if not ok:
        return None
    try:
        score = compute(method, values)
    except MethodInputError as exc:  # the table and the kernel disagree (an edited scale): refuse, in Chinese
        factor = getattr(exc, "field", "")
        errors.add(f"inputs.{factor}" if factor in factors else "inputs",
                   _("%(factor)s的取值无法计算，请核对分值表") % {"factor": FACTOR_NAMES.get(factor, factor)},
                   getattr(exc, "code", "off_scale"))
        return None
    return Scored(values, round(score, 6), grade(method, score))
