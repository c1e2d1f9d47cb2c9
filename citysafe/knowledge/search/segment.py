"""Chinese word segmentation for the full-text index (jieba), shared by indexing and queries.

jieba's dictionary is loaded once per process (about 0.5 s, cached by jieba itself) and the
laws' own terms are added as user words, so "事故隐患" or "生产经营单位" stay whole. Documents
are segmented for search (`cut_for_search`): every word plus its dictionary sub-words, so a
two-character word (消防, 隐患, 燃气) is found inside a longer one (消防设施, 事故隐患, 城镇燃气)
and never across a word boundary (取消防范 holds no 消防) — the error a trigram index or a
LIKE scan makes. Tokens are joined by spaces; both index back-ends tokenise on the spaces.
"""
import functools
import re
import threading

import jieba

# Terms of the shipped laws that jieba's general dictionary splits or joins wrongly; the list
# is fixed in code so that every process segments the same text the same way.
LAW_TERMS = (
    "安全生产", "事故隐患", "重大事故隐患", "生产经营单位", "危险化学品", "危险物品", "特种设备", "应急预案",
    "应急救援", "消防设施", "消防车通道", "疏散通道", "安全出口", "城镇燃气", "燃气设施", "烟花爆竹",
    "民用爆炸物品", "安全生产许可证", "地质灾害", "气象灾害", "隐患排查", "风险分级", "有限空间",
    "主要负责人", "安全生产责任制", "劳动防护用品", "职业病", "大型群众性活动", "建设工程", "施工单位",
    "建设单位", "监理单位", "安全评价", "重大危险源", "生产安全事故", "突发事件", "行政处罚", "行政强制",
    "安全生产法", "消防法", "特种设备安全法", "职业病防治法", "突发事件应对法", "建筑法", "防震减灾法",
    "道路交通安全法", "行政处罚法", "行政强制法", "城乡规划法", "个人信息保护法", "安全风险",
    "高处作业", "动火作业", "安全警示标志", "责令停产停业", "罚款",
)
_WORD = re.compile(r"\w+")
_lock = threading.Lock()
_ready = False
STOP_WORDS = frozenset(["的", "了", "和", "与", "及", "或", "或者", "在", "是", "对", "等", "其", "由", "为", "并", "以", "之", "于", "应", "应当"])


def ensure_dictionary() -> None:
    global _ready
    if _ready:
        return
    with _lock:
        if not _ready:
            jieba.setLogLevel(60)
            jieba.initialize()
            for term in LAW_TERMS:
                jieba.add_word(term, freq=200000)
            _ready = True


def index_tokens(text: str) -> list[str]:
    """Every word of `text` and its dictionary sub-words, in order, punctuation dropped."""
    ensure_dictionary()
    return [token for token in jieba.cut_for_search(text, HMM=False) if _WORD.fullmatch(token)]


def index_text(*parts: str) -> str:
    return " ".join(index_tokens(" ".join(p for p in parts if p)))


@functools.lru_cache(maxsize=4096)
def query_words(text: str) -> tuple[str, ...]:
    """The words of a query (jieba's precise mode), punctuation and stop words dropped.
    Cached: the same queries come again (the dictionary is fixed in code, so is the answer)."""
    ensure_dictionary()
    words = tuple(w for w in jieba.cut(text, HMM=False) if _WORD.fullmatch(w))
    content = tuple(w for w in words if w not in STOP_WORDS)
    return content or words


@functools.lru_cache(maxsize=4096)
def pieces(word: str) -> tuple[str, ...]:
    """The smallest dictionary words that cover a query word, left to right ("隐患排查治理" →
    隐患, 排查, 治理): a document that segmented the word differently still holds these."""
    ensure_dictionary()
    subwords = {t for t in jieba.cut_for_search(word, HMM=False) if t != word and len(t) > 1}
    if not subwords:
        return (word,)
    cover, position = [], 0
    while position < len(word):
        found = max((s for s in subwords if word.startswith(s, position)), key=len, default=word[position])
        cover.append(found)
        position += len(found)
    # A single character inside a longer word is not a token of its own in the index (jieba's
    # search mode adds two- and three-character sub-words only), so it cannot be required.
    return tuple(piece for piece in cover if len(piece) > 1) or (word,)
