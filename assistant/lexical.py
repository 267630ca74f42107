"""Terms and BM25: tokenizer, stemmer, document frequencies, an Okapi BM25 index in numpy.

Terms are lower-cased alphanumeric words, stop words dropped, Snowball-stemmed (PyStemmer), plus
the concatenation of adjacent words ("TF Lite" also gives "tflite", "pre-trained" "pretrained")
and the parts of camel-case names ("TorchAudio" also gives "audio"), so a user's compound
matches the corpus's spaced form and back. Acronyms are learnt from the corpus: a phrase it
writes out with its initials ("Reinforcement Learning" -> RL, "LLM" <- "large language
model") expands a query that uses the other form, and so does a numeronym of a name ("k8s").
The index is a CSR matrix of term frequencies per node, built once at indexing and saved
beside the FAISS file; a query touches only the postings of its own terms. A question word
that neither the corpus nor common English uses is read as the corpus spells it (respelt).
Not handled: synonyms (the dense side covers paraphrase), languages other than English.
"""
from __future__ import annotations

import bisect
import json
import re
from functools import lru_cache

import numpy as np

from .data import load as load_data

_WORD = re.compile(r"[a-z0-9]+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+[A-Za-z]*")
STOP = frozenset(load_data("stopwords")["words"])
FRAMING = frozenset(load_data("stopwords")["framing"])
K1, B = 1.2, 0.75
_STEMMER = None


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter2) stem of one lower-case word."""
    global _STEMMER
    if _STEMMER is None:
        import Stemmer

        _STEMMER = Stemmer.Stemmer("english")
    return _STEMMER.stemWord(word)


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words of text, in order; a number written with thousands
    separators is one word ("1,000 pages" and "1000 pages" agree)."""
    return _WORD.findall(_THOUSANDS.sub("", text.lower()))


@lru_cache(maxsize=32768)
def terms(text: str) -> tuple[str, ...]:
    """Stemmed content terms of text, in order, with adjacent-word compounds and camel-case
    parts appended."""
    raw = words(text)
    out = [stem(w) for w in raw if w not in STOP and (len(w) > 1 or w.isdigit())]
    out += [stem(a + b) for a, b in zip(raw, raw[1:])
            if a not in STOP and b not in STOP and not (a.isdigit() and b.isdigit())]
    out += [stem(w[:-1]) for w in raw if w.endswith("s") and 3 < len(w) <= 6 and w not in STOP
            and len(re.findall(r"[aeiou]", w[:-1])) <= 1]  # LLMs, GPUs -> llm, gpu
    for token in re.findall(r"[A-Za-z][A-Za-z0-9]*[a-z][A-Z][A-Za-z0-9]*|[A-Za-z]+\d+[A-Za-z]+",
                            text):
        out += [stem(p.lower()) for p in _CAMEL.findall(token)
                if (len(p) > 2 or p[0].isdigit()) and p.lower() not in STOP]
    return tuple(out)


@lru_cache(maxsize=32768)
def term_set(text: str) -> frozenset[str]:
    return frozenset(terms(text))


@lru_cache(maxsize=32768)
def query_terms(text: str) -> tuple[str, ...]:
    """terms() of a question without the words that only frame it ("which framework should
    we use"): what the question is about."""
    framing = {stem(w) for w in FRAMING}
    return tuple(t for t in terms(text) if t not in framing)


def content_terms(text: str) -> list[str]:
    """Distinct stemmed single-word terms of text (no compounds), in order."""
    return list(dict.fromkeys(stem(w) for w in words(text)
                              if w not in STOP and (len(w) > 1 or w.isdigit())))


class BM25:
    """Okapi BM25 over node texts. `scores(query)` -> one float per node (0 = no shared term)."""

    def __init__(self, vocab: dict[str, int], indptr, indices, data, lengths,
                 acronyms: dict[str, str] | None = None):
        self.vocab = vocab
        self.acronyms = acronyms or {}  # acronym -> phrase, both as the corpus writes them
        self._expanded: dict[str, str] = {}
        self._forms = None
        self.indptr, self.indices, self.data = indptr, indices, data  # CSR: term -> postings
        self.lengths = lengths.astype(np.float32)
        self.count = len(lengths)
        self.avg = float(self.lengths.mean()) if self.count else 1.0
        df = np.diff(indptr).astype(np.float32)
        self.idf = np.log(1.0 + (self.count - df + 0.5) / (df + 0.5))
        self.norm = K1 * (1 - B + B * self.lengths / max(self.avg, 1e-9))

    @classmethod
    def build(cls, texts: list[str]) -> "BM25":
        vocab: dict[str, int] = {}
        rows: list[dict[int, int]] = []
        for text in texts:
            counts: dict[int, int] = {}
            for t in terms(text):
                tid = vocab.setdefault(t, len(vocab))
                counts[tid] = counts.get(tid, 0) + 1
            rows.append(counts)
        postings: list[list[tuple[int, int]]] = [[] for _ in vocab]
        for doc, counts in enumerate(rows):
            for tid, tf in counts.items():
                postings[tid].append((doc, tf))
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(p) for p in postings])
        flat = [pair for p in postings for pair in p]
        indices = np.array([d for d, _ in flat], dtype=np.int32)
        data = np.array([tf for _, tf in flat], dtype=np.float32)
        lengths = np.array([sum(r.values()) for r in rows], dtype=np.float32)
        return cls(vocab, indptr, indices, data, lengths, find_acronyms(texts))

    def document_frequency(self, term: str) -> int:
        tid = self.vocab.get(term)
        return 0 if tid is None else int(self.indptr[tid + 1] - self.indptr[tid])

    def rarity(self, term: str) -> float:
        """IDF of a term; a term the corpus never uses gets the highest possible value."""
        tid = self.vocab.get(term)
        return float(self.idf[tid]) if tid is not None else float(np.log(1.0 + self.count + 0.5))

    def expand(self, query: str) -> str:
        """The query plus the corpus's other form of any acronym or spelled-out phrase in it,
        and of two words the corpus writes as one ("set up" -> "setup")."""
        cached = self._expanded.get(query)
        if cached is None:
            cached = self._expanded[query] = self._expand(query)
            if len(self._expanded) > 4096:
                self._expanded.clear()
        return cached

    def _expand(self, query: str) -> str:
        low = query.lower()
        if self._forms is None:  # one pattern for every acronym and phrase the corpus has
            pairs = [(a, p) for a, p in self.acronyms.items() if p.lower() != a]
            spelt = [(a, p) for a, p in pairs if not re.search(r"\d", a)]  # never to "k8s"
            keys = sorted({a for a, _ in pairs} | {p.lower() for _, p in spelt}, key=len,
                          reverse=True)
            self._forms = (re.compile(r"\b(" + "|".join(map(re.escape, keys)) + r")s?\b")
                           if keys else None, dict(pairs), {p.lower(): a for a, p in spelt})
        pattern, long_form, short_form = self._forms
        extra = []
        for m in pattern.finditer(low) if pattern else ():
            other = long_form.get(m.group(1)) or short_form.get(m.group(1))
            if other and other.lower() not in low:
                extra.append(other)
        spelt = [w for w in words(query) if w not in STOP]
        for n in (2, 3, 4):  # "large language models" -> LLM, when the corpus writes "LLM"
            for i in range(len(spelt) - n + 1):
                initials = "".join(w[0] for w in spelt[i:i + n])
                if self.acronyms.get(initials, "").lower() == initials and \
                        initials not in spelt and all(len(w) > 2 for w in spelt[i:i + n]):
                    extra.append(self.acronyms[initials])
        said = words(query)  # "set up" where the corpus writes "setup", "data set": "dataset"
        extra += [a + b for a, b in zip(said, said[1:]) if len(a + b) >= 5 and
                  a + b not in said and self.document_frequency(stem(a + b))]
        extra = list(dict.fromkeys(extra))
        return f"{query} ({'; '.join(extra)})" if extra else query

    def respelt(self, text: str, common: frozenset = frozenset()) -> str:
        """text with each word the corpus never uses read as the corpus spells it (common:
        English words, see _respelt). Not handled: two mistakes in one word, a typo that
        makes another English word, words joined to digits."""
        return re.sub(r"\b[A-Za-z]+\b", lambda m: self._respelt(m.group(0), common), text)

    def _respelt(self, word: str, common: frozenset) -> str:
        """The other English spelling ("licences" -> "licenses"), the superlative's form the
        corpus uses ("cheapest" -> "cheaper"); for a word that is not English nor a form of an
        English word, the English word one edit away ("latncy" -> "latency", six letters or
        more), else the one English word it starts that the corpus uses ("infra" ->
        "infrastructure"); the word itself when none is found or it names something
        ("KServe")."""
        low = word.lower()
        if len(low) < 4 or self.document_frequency(stem(low)):
            return word
        forms = [pattern.sub(replacement, low) for pattern, replacement in _SPELLINGS]
        for other in [f for f in forms if f != low] + _degrees(low):
            if self.document_frequency(stem(other)):
                return other
        if _english(low, common) or re.search(r".[A-Z]", word):
            return word
        edits = [v for v in _one_edit(low) if v in common] if len(low) >= 6 else []
        known = [(self.document_frequency(stem(v)), v) for v in edits]
        best = max(known, default=(0, ""))
        if best[0]:
            return best[1]
        starts = [w for w in _starting(common, low) if len(w) >= len(low) + 2 and
                  self.document_frequency(stem(w))]
        if len({stem(w) for w in starts}) == 1:  # "comp": compiler? comparison? neither
            return min(starts, key=len)
        return word

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(self.count, dtype=np.float32)
        for term in set(query_terms(self.expand(query))):
            tid = self.vocab.get(term)
            if tid is None:
                continue
            a, b = self.indptr[tid], self.indptr[tid + 1]
            docs, tf = self.indices[a:b], self.data[a:b]
            out[docs] += self.idf[tid] * tf * (K1 + 1) / (tf + self.norm[docs])
        return out

    def max_score(self, query: str) -> float:
        """The score a node holding every query term once would get at average length (a
        scale for normalising scores across questions); a term the corpus never uses counts
        at the highest IDF, as what no passage can match."""
        return float(sum(self.rarity(t) for t in set(query_terms(query))))

    def save(self, fh) -> None:
        as_bytes = lambda obj: np.frombuffer(json.dumps(obj).encode("utf-8"), dtype=np.uint8)  # noqa: E731
        np.savez(fh, indptr=self.indptr, indices=self.indices, data=self.data,
                 lengths=self.lengths, vocab=as_bytes(list(self.vocab)),
                 acronyms=as_bytes(self.acronyms))

    @classmethod
    def load(cls, path) -> "BM25":
        with np.load(path) as z:
            read = lambda key: json.loads(z[key].tobytes().decode("utf-8"))  # noqa: E731
            vocab = {t: i for i, t in enumerate(read("vocab"))}
            return cls(vocab, z["indptr"], z["indices"], z["data"], z["lengths"],
                       read("acronyms") if "acronyms" in z else {})


_SPELLINGS = [(re.compile(a), b) for a, b in load_data("lexicon")["spellings"]["pairs"]]


@lru_cache(maxsize=4)
def _stems(common: frozenset) -> frozenset:
    return frozenset(stem(w) for w in common)


def _degrees(word: str) -> list[str]:
    """The plain and comparative forms of a superlative ("cheapest" -> cheap, cheaper;
    "easiest" -> easy, easier; "biggest" -> big, bigger); none for other words."""
    match = re.fullmatch(r"([a-z]{2,}?)(i?)est", word)
    if not match:
        return []
    base = match.group(1) + ("y" if match.group(2) else "")
    if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "aeiouls":
        base = base[:-1]  # "biggest"
    comparative = match.group(1) + ("ier" if match.group(2) else "er")
    return [base, comparative] if len(base) >= 3 else []


def _english(word: str, common: frozenset) -> bool:
    """Whether word is an English word or a form of one ("samplers", "wrapper")."""
    if word in common or stem(word) in _stems(common):  # the stems: once, when first needed
        return True
    base = re.sub(r"(?:ers?|ed|ing|s)$", "", word)
    return base != word and bool({base, base + "e", base[:-1] if base[-1:] == base[-2:-1]
                                  else base} & common)


@lru_cache(maxsize=4)
def _sorted(common: frozenset) -> list[str]:
    return sorted(common)


def _starting(common: frozenset, prefix: str) -> list[str]:
    """The common words that start with prefix."""
    words = _sorted(common)
    i = bisect.bisect_left(words, prefix)
    out = []
    while i < len(words) and words[i].startswith(prefix):
        out.append(words[i])
        i += 1
    return out


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, swap of neighbours, replacement or insertion from word."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in cuts if b} | {a + b[1] + b[0] + b[2:] for a, b in cuts
                                                 if len(b) > 1} |
            {a + c + b[1:] for a, b in cuts if b for c in letters} |
            {a + c + b for a, b in cuts for c in letters}) - {word}


def find_acronyms(texts: list[str]) -> dict[str, str]:
    """acronym (lower-case) -> phrase, for Title Case phrases of 2-4 words whose initials the
    corpus also writes as an upper-case acronym, or that it never abbreviates but a reader may
    ("Reinforcement Learning" -> "rl"); an acronym the corpus uses for two phrases is dropped."""
    corpus = "\n".join(texts)
    uppers = set(re.findall(r"\b[A-Z]{2,5}\b", corpus))
    found: dict[str, set] = {}
    for match in re.finditer(r"\b(?:[A-Z][a-z]+[ -]){1,3}[A-Z][a-z]+\b", corpus):
        phrase = match.group(0)
        if re.search(r"(^|[.!?]\s+|\n)$", corpus[max(0, match.start() - 3):match.start()]):
            continue  # a capitalised sentence start is no name
        initials = "".join(w[0] for w in re.split(r"[ -]", phrase)).upper()
        recurring = len(re.findall(re.escape(phrase), corpus, re.I)) >= 2
        if initials in uppers or (len(initials) == 2 and initials.lower() not in STOP and
                                  recurring and not re.search(rf"\b{initials}\b", corpus, re.I)):
            found.setdefault(initials.lower(), set()).add(phrase.replace("-", " "))
    out = {a: next(iter(p)) for a, p in found.items() if len(p) == 1}
    out.update({u.lower(): u for u in uppers if u.lower() not in out})  # spelt-out forms
    return {**numeronyms(corpus, out), **out}


def numeronyms(corpus: str, taken: dict) -> dict[str, str]:
    """numeronym -> name, for capitalised names of eight letters or more ("k8s" ->
    "Kubernetes"); one that two names share is dropped."""
    found: dict[str, set] = {}
    for name in set(re.findall(r"\b[A-Z][a-z]{7,}\b", corpus)):
        found.setdefault(f"{name[0]}{len(name) - 2}{name[-1]}".lower(), set()).add(name.lower())
    return {n: next(iter(names)).capitalize() for n, names in found.items()
            if len(names) == 1 and n not in taken}


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(\[*])")
_ABBREV = re.compile(r"\b(?:e\.g|i\.e|vs|etc|approx|cf|fig|no|mr|dr|st|inc|ltd)\.$", re.I)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; "e.g." and "vs." do not end one."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREV.search(text[max(start, m.start() - 8):m.start()]):
            continue
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text.rstrip()):
        spans.append((start, len(text.rstrip())))
    return [(a, b) for a, b in spans if b > a]
