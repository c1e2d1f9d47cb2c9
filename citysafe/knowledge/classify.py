"""What a split document is: kind, issuer, short title, number and dates, read from its title
and its history lines (the 27 shipped laws and regulations state them there)."""
import datetime
import re

from kernels.law_text import SplitLaw, history_dates

_ORDER_NUMBER = re.compile(r"(国务院令第\d+号|主席令第[\d一二三四五六七八九十百]+号)")


def short_title_of(title: str) -> str:
    """"中华人民共和国安全生产法" → "安全生产法"; "关于印发X的通知" → "X"."""
    short = re.sub(r"^中华人民共和国", "", title)
    if match := re.fullmatch(r"关于印发(.+?)的通知", short):
        short = match[1]
    return short


STANDARD_KINDS = ("national_standard", "industry_standard")


def classify(split: SplitLaw, default_kind: str) -> dict:
    history = "\n".join(split.history)
    if split.is_standard:
        return _standard(split, default_kind)
    if "全国人民代表大会" in history:
        kind = "law"
        issuer = "全国人民代表大会常务委员会" if "常务委员会" in history else "全国人民代表大会"
    elif "国务院" in history or split.title.startswith("国务院"):
        kind, issuer = "administrative_regulation", "国务院"
    else:
        kind, issuer = default_kind, ""
    dates = history_dates(split.history)
    promulgated = next((d for d, line in dates if any(w in line for w in ("公布", "发布", "通过"))), None)
    effective = next((d for d, line in dates if "施行" in line), None)
    number = next((m[1] for line in split.history if (m := _ORDER_NUMBER.search(line))), "")
    return {
        "kind": kind, "issuer": issuer, "number": number,
        "promulgated_on": _date(promulgated), "effective_on": _date(effective),
        "version_date": _date(dates[-1][0]) if dates else None,
    }


def _standard(split: SplitLaw, default_kind: str) -> dict:
    """GB … is a national standard, any other number an industry one (AQ, JGJ, TSG …); standards
    say 发布 and 实施 where laws say 公布 and 施行."""
    if default_kind in STANDARD_KINDS:
        kind = default_kind
    else:
        kind = "industry_standard" if split.number and not split.number.startswith("GB") else "national_standard"
    dates = history_dates(split.history)
    published = next((d for d, line in dates if "发布" in line), None)
    effective = next((d for d, line in dates if "实施" in line or "施行" in line), None)
    return {"kind": kind, "issuer": "", "number": split.number, "promulgated_on": _date(published),
            "effective_on": _date(effective), "version_date": _date(published or effective)}


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None
