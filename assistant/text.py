"""Small text utilities shared by chunking, composing and evaluation.

Terms are lower-cased word tokens with a light suffix stemmer; "topic terms" drop stop words
and the words every question here shares (framework names, "which", "better", "use", ...).
"""
from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9][a-z0-9.+#/-]*[a-z0-9+#]|[a-z0-9]", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")

STOP = set("""a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers him his how i if in into is it its itself
just me more most my no nor not now of off on once only or other our ours out over own same
she should so some such than that the their theirs them then there these they this those
through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself let lets i'm we're it's what's whats thats im were re ve
s t d ll m o y x get got go going really please tell know want wants need needs like say
much many already must enough seem seems came come comes find found inside actually
anything something everything someone anyone thing things lot lots way ways make makes made
given give yes ok okay hi hello thanks thank currently today now still even every each
actually exactly really basically literally mention mentions mentioned weird kind sort bit
""".split())
GENERIC = set("""pytorch tensorflow tf torch pt framework frameworks one ones better best choose
choice pick use using used recommend recommended recommendation prefer preferred go option
options should vs versus or compare comparison compared between either which team teams
our us good great suggest advice advise opinion think thoughts ai ml library libraries
work working project projects right fit pick go something stuff thing things answer question
""".split())
INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instruction|prompt|rule|previous|above|"
    r"guideline|context)s?\b|\b(system prompt|jailbreak|you are now|pretend (to be|you are)|"
    r"act as)\b", re.I | re.S)
_CHOICE = re.compile(
    r"\b(which (one|framework|is (better|best|faster|easier|more)|should|to (use|pick|choose))|"
    r"should (i|we|you|my|our)|recommend\w*|choose|choice|pick|go with|better|best|prefer|"
    r"suited|favou?r|worth|vs\.?|versus|or)\b", re.I)
_FACT_LEAD = re.compile(
    r"^\s*(what|how|when|who|where|why|define|explain|describe|list|name|does|do|did|can|"
    r"could)\b", re.I)


def words(text: str) -> list[str]:
    return [w.lower().strip(".-/") for w in _WORD.findall(text)]


_STEMMER = None


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter2) stem via PyStemmer, the stemmer BM25 uses too."""
    global _STEMMER
    if _STEMMER is None:
        import Stemmer

        _STEMMER = Stemmer.Stemmer("english")
    return _STEMMER.stemWord(word.lower())


# Domain vocabulary: how users say it -> how the corpus says it (query expansion only).
SYNONYMS = {
    "large language model": "LLM", "large language models": "LLMs", "language model": "LLM",
    "gpt": "LLM", "chatbot": "LLM", "llama": "LLM", "mistral": "LLM", "qwen": "LLM",
    "deepseek": "LLM", "generative ai": "LLM", "genai": "LLM", "phone": "mobile", "phones": "mobile",
    "smartphone": "mobile Android iOS", "android": "mobile", "ios": "mobile", "iphone": "iOS mobile",
    "app store": "mobile iOS", "web": "browser", "website": "browser", "javascript": "browser",
    "client-side": "browser", "embedded": "edge microcontrollers", "iot": "Edge/IoT",
    "microcontroller": "microcontrollers edge", "rl": "reinforcement learning",
    "cv": "vision", "computer vision": "vision", "image classification": "vision",
    "speech": "audio", "nlp": "NLP/LLM", "amp": "mixed precision",
    "fp16": "mixed precision", "bf16": "mixed precision", "multi-gpu": "distributed training",
    "multiple gpus": "distributed training", "cluster": "distributed multi-node",
    "serve": "serving", "serving": "production serving", "inference server": "serving",
    "prod": "production", "beginner": "beginners", "newbie": "beginners", "learn": "beginners",
    "students": "beginners", "course": "beginners", "debugging": "debug", "debugger": "debug",
    "pretrained": "pre-trained", "fine-tune": "fine-tuning pre-trained",
    "finetune": "fine-tuning pre-trained", "fine tune": "fine-tuning pre-trained", "huggingface": "Hugging Face", "hf": "Hugging Face",
    "tpus": "TPU", "google cloud": "Google Cloud TPU", "gcp": "Google Cloud",
    "speed": "faster performance", "fast": "faster", "quicker": "faster", "slow": "faster",
    "compiler": "torch.compile XLA", "migrate": "switch migrating", "port": "switch",
    "license": "License", "licence": "License", "open source": "License",
    "jobs": "job postings", "hiring": "job postings", "dead": "replacing outpacing",
    "dying": "replacing outpacing", "obsolete": "replacing", "future": "replacing coexist",
    "popular": "adoption job postings", "popularity": "adoption", "papers": "research publications",
    "academia": "research", "academic": "research", "small team": "small teams startups",
    "startup": "startups small teams", "sota": "state-of-the-art", "state of the art":
    "state-of-the-art", "on-device": "mobile edge", "new hires": "new team members",
}
_SYNONYM_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(
    SYNONYMS, key=len, reverse=True)) + r")(?![\w-])", re.I)


def canonical(text: str) -> str:
    """Multi-word user phrases replaced by the corpus' word ("large language model" -> LLM),
    so topic terms match how the corpus says it."""
    def swap(match):
        key = match.group(1).lower()
        return SYNONYMS[key].split()[0] if " " in key else match.group(1)
    return _SYNONYM_RE.sub(swap, text)


def expand(text: str) -> str:
    """Append the corpus' words for the user's words ("large language model" -> "LLM")."""
    extra = [SYNONYMS[m.group(1).lower()] for m in _SYNONYM_RE.finditer(text)]
    extra = [e for e in dict.fromkeys(extra) if e.lower() not in text.lower()]
    return f"{text} {' '.join(extra)}" if extra else text


def focus(question: str) -> str:
    """The question without stop words and the words every question here shares, so that
    retrieval matches the topic rather than the framework names every passage contains;
    domain synonyms are appended (see expand)."""
    kept = [w for w in re.findall(r"\S+", question)
            if (core := w.strip("?!.,;:()\"'").lower()) and core not in STOP
            and core not in GENERIC and stem(core) not in GENERIC]
    focused = " ".join(dict.fromkeys(kept)).strip(" ?!.,;:")
    return expand(focused) if focused else question


def term_words(text: str) -> list[str]:
    """Words with compounds also split: "NLP/LLM" -> nlp/llm, nlp, llm."""
    out = []
    for w in words(text):
        out.append(w)
        if "/" in w or "-" in w:
            out.extend(p for p in re.split(r"[/-]", w) if p)
    return out


def content_terms(text: str) -> list[str]:
    """Distinct stemmed topic terms of a question (stop and generic words removed);
    a hyphenated or slashed compound counts through its parts."""
    out = []
    for w in words(text):
        parts = [w] if not re.search(r"[/-]", w) or re.match(r"^[\w.]+-\d", w) \
            else [p for p in re.split(r"[/-]", w) if p]
        for part in parts:
            if part in STOP or part in GENERIC or len(part) < 2:
                continue
            s = stem(part)
            if s not in out and s not in GENERIC:
                out.append(s)
    return out


@lru_cache(maxsize=16384)
def term_set(text: str) -> frozenset[str]:
    """Stems of every word and compound part of text (what content_terms are matched to)."""
    stems = set()
    for w in term_words(text):
        stems.add(stem(w))
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):  # CPUs, H100s, LLMs
            stems.add(stem(w[:-1]))
    return frozenset(stems)


@lru_cache(maxsize=8192)
def synonym_stems(term: str) -> frozenset[str]:
    """The term plus the stems of the corpus words a user's word maps to (see SYNONYMS)."""
    alternatives = {term}
    for key, value in SYNONYMS.items():
        if stem(key) == term or key == term:
            alternatives |= term_set(value)
    return frozenset(alternatives)


def has_term(text: str, term: str) -> bool:
    """Whether a stemmed term (or a synonym of it) occurs in text."""
    return bool(synonym_stems(term) & term_set(text))


def is_injection(text: str) -> bool:
    return bool(INJECTION.search(text))


def question_kind(question: str) -> str:
    """'choice' when the question asks which framework to pick, else 'fact'."""
    both = len(set(_framework_mentions(question))) == 2
    asks_choice = bool(_CHOICE.search(question))
    if re.search(r"\bwhich (one|framework|is|should|to)\b", question, re.I):
        return "choice"
    if re.search(r"\b(should (i|we)|recommend\w*|suggest\w*|advi[cs]e|go with|better|best|"
                 r"prefer|suited)\b", question, re.I):
        return "choice"
    if both and asks_choice and not _FACT_LEAD.match(question):
        return "choice"
    if both and re.search(r"\bfor\b", question, re.I) and not _FACT_LEAD.match(question):
        return "choice"
    if both and re.search(r"\b(\w+er|more \w+|less \w+)\s+than\b", question, re.I):
        return "choice"  # "Is PyTorch faster than TensorFlow?"
    if re.match(r"^\s*(we|we're|we are|our|i|i'm|i am|my|us)\b", question, re.I) and \
            not re.search(r"\b(what|how|when|why|who|where) (is|are|does|do|did)\b", question, re.I):
        return "choice"  # a team describing its situation wants a recommendation
    return "fact"


def _framework_mentions(text: str) -> list[str]:
    from .stance import frameworks_in

    return frameworks_in(text)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in text; abbreviations like 'e.g.' may split."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return [(a, b) for a, b in spans if b > a]


_ENTITY = re.compile(r"\b(?:[A-Z][\w.+-]*[A-Z0-9][\w.+-]*|[A-Z][a-z]+[\w.+-]*|[a-z]+\d[\w.-]*)\b")
_WH_PHRASE = re.compile(
    r"^\s*(?:what|which|how many|how much)(?:\s+|'s\s+)(?:(?:is|are|was|were)\s+)?(?:the\s+|a\s+|an\s+)?"
    r"(.+?)(?=\s+(?:does|do|is|are|was|were|can|could|should|would|will|did|has|have)\b|[?,;:]|$)",
    re.I)


def entities(question: str) -> list[str]:
    """Stems of names in the question (capitalised or with digits, not sentence-initial),
    other than the two frameworks: "JAX", "MXNet", "A100", "Gemini"."""
    from .stance import frameworks_in

    out = []
    for sentence in re.split(r"(?<=[.?!])\s+", question.strip()):
        for i, match in enumerate(_ENTITY.finditer(sentence)):
            token = match.group(0)
            before = sentence[:match.start()].split()
            if (i == 0 and match.start() == 0 and not re.search(r"\d|[A-Z].*[A-Z]", token)) \
                    or frameworks_in(token) or token.lower() in STOP or len(token) < 2 \
                    or (before and frameworks_in(before[-1].strip("'s"))):
                continue  # sentence-initial word, a framework, or part of "TensorFlow Serving"
            for term in content_terms(token):
                if term not in out:
                    out.append(term)
    return out


def other_alternatives(question: str) -> bool:
    """Whether the question weighs two things that are not PyTorch/TensorFlow ("React or Vue")."""
    from .stance import frameworks_in

    for match in re.finditer(r"([\w.+-]+)\s+(?:or|vs\.?|versus)\s+([\w.+-]+)", question, re.I):
        a, b = match.group(1), match.group(2)
        if not frameworks_in(a) and not frameworks_in(b) and a[:1].isupper() and b[:1].isupper():
            return True
    return False


def asked_attribute(question: str) -> list[str]:
    """Content terms of the noun phrase a what/which/how-many question asks for
    ("What license does JAX use?" -> ["licens"]), entities excluded."""
    match = _WH_PHRASE.match(question)
    if not match:
        return []
    names = set(entities(question))
    return [t for t in content_terms(match.group(1)) if t not in names]


_NEAR = {"pytorch": "PyTorch", "tensorflow": "TensorFlow"}


def normalize_frameworks(text: str) -> str:
    """Misspelled or split framework names -> the real ones ("pytroch", "tensor flow")."""
    text = re.sub(r"\btensor\s+flow\b", "TensorFlow", text, flags=re.I)
    text = re.sub(r"\bpy\s+torch\b", "PyTorch", text, flags=re.I)

    def fix(match):
        word = match.group(0)
        low = word.lower()
        for name, proper in _NEAR.items():
            if low != name and abs(len(low) - len(name)) <= 2 and _edits(low, name) <= 2 \
                    and low[:2] == name[:2]:
                return proper
        return word
    return re.sub(r"\b[A-Za-z]{5,12}\b", fix, text)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (small strings only)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
