"""`{{ value|cn_number }}` → 1.23万 / 4.5亿 (kernels.chinese_numbers); `{{ part|cn_percent:whole }}`."""
from django import template

from kernels.chinese_numbers import format_chinese_number, format_percent

register = template.Library()


@register.filter
def cn_number(value, digits=2):
    try:
        return format_chinese_number(value, digits=int(digits))
    except (TypeError, ValueError, ArithmeticError):
        return value


@register.filter
def cn_percent(part, whole):
    try:
        return format_percent(part, whole)
    except (TypeError, ValueError, ArithmeticError):
        return ""
