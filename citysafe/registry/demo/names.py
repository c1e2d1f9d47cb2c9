"""Plausible Chinese names for the synthetic demo records, unique where it matters.

A repeated name gets a Chinese ordinal before its fixed ending (锁南鑫源加油站 →
锁南鑫源第二加油站) rather than a trailing digit, so lists read like a real register.
"""
import random
import re

from citysafe.registry.demo import catalogue as cat

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五, 305 → 三百零五 (enough for ordinals in the demo)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + _DIGITS[rest] if rest < 10 else chinese_number(rest) if rest >= 20
                                 else "一" + chinese_number(rest))
    return _DIGITS[n // 100] + "百" + tail


def short_township(name: str) -> str:
    """锁南镇 → 锁南, 车家湾乡 → 车家湾."""
    return name[:-1] if name[-1] in "镇乡" else name


def village_names(rng: random.Random, count: int) -> list[str]:
    """One community (社区) and count-1 villages (村), distinct within the township."""
    names = [rng.choice(cat.COMMUNITY_STEMS) + "社区"]
    names += [stem + "村" for stem in rng.sample(cat.VILLAGE_STEMS, min(count - 1, len(cat.VILLAGE_STEMS)))]
    while len(names) < count:  # more villages than stems: second-level names read 马家上庄村 etc.
        names.append(rng.choice(cat.VILLAGE_STEMS) + rng.choice("上下前后东西") + "庄村")
    return names[:count]


class Namer:
    """Fills name templates and keeps names unique within one register."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[str, int] = {}

    def _fields(self) -> dict[str, str]:
        rng = self.rng
        return {"word": rng.choice(cat.TRADE_WORDS), "surname": rng.choice(cat.SURNAMES),
                "hamlet": rng.choice("上下中东西南北新老") + rng.choice(cat.HAMLET_ENDINGS),
                "building": f"{rng.randint(1, 18)}号楼{rng.randint(1, 4)}单元"}

    def make(self, templates: list[str], **parts: str) -> str:
        # Fresh draws of template and random parts first; an ordinal only when all clash.
        for _ in range(12):
            template = self.rng.choice(templates)
            base = template.format(**{**self._fields(), **parts})
            if base not in self.used:
                break
        seen = self.used.get(base, 0) + 1
        self.used[base] = seen
        if seen == 1:
            return base
        ending = re.split(r"\}", template)[-1] or base[-2:]
        if "{surname}" in template:
            ending = ending.lstrip("家记")  # 马家 | 第二 | 牛肉面馆
        head = base[: len(base) - len(ending)]
        return f"{head}第{chinese_number(seen)}{ending}"
