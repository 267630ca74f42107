"""Question analysis: the options it names and whether it asks for a choice.

"Choice" means the user wants to know which option to use ("TF or PyTorch for mobile?",
"which framework gives me per-op control?", "is the RL tooling better on the PyTorch side?");
"fact" means it asks for information ("which one came out first?", "what does XLA stand
for?"). The probability comes from a logistic model over a few general cue features (the cue
patterns live in data/lexicon.json, the fitted weights in data/calibration.json).
Not handled: questions whose intent only the conversation reveals (handled by conversation.py
when the earlier turn is needed).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .data import load as load_data
from .lexical import STOP, content_terms, terms

_CLASS_NOUNS = "|".join(w for w in load_data("lexicon")["option_classes"]  # "which backend":
                        if not w.endswith("s"))  # one is asked for; "which libraries": a list
_CUES = {k: re.compile(v.replace("{classes}", _CLASS_NOUNS), re.I)
         for k, v in load_data("lexicon")["question_cues"].items() if not k.startswith("about")}
_ROLES = load_data("lexicon")["roles"]
_CUE_WORDS = load_data("lexicon")["cue_words"]["words"]
_DOUBT = re.compile(load_data("lexicon")["doubt"], re.I)
_INVERTED = re.compile(load_data("lexicon")["inverted"]["pattern"], re.I)
_UNWANTED = load_data("lexicon")["unwanted"]
_UNWANTED_CUE = re.compile(_UNWANTED["cue"], re.I)
_DIY = re.compile(_UNWANTED["diy"], re.I)
_BURDEN = re.compile(_UNWANTED["burden"], re.I)
_NEEDLESS = re.compile(_UNWANTED["needless"], re.I)
_REQUIRE, _STATUS = re.compile(_ROLES["requirement"], re.I), re.compile(_ROLES["status"], re.I)
FEATURES = ["ask_wh", "ask_yesno", "which_choice", "which_other", "should", "advice",
            "compare", "comparative", "versus_named", "or_option", "versus_other", "named",
            "situation", "quantity", "long"]
_WORD = re.compile(r"[\w.+#/-]+")  # a word with its dots and signs ("tf.keras", "c++", "ci/cd")
_VERSUS = re.compile(rf"({_WORD.pattern})\s+(?:vs\.?|versus|or)\s+({_WORD.pattern})", re.I)


@dataclass
class Question:
    text: str
    named: list[str]          # options the question names, in order
    choice: float             # probability that it asks for a choice
    features: dict
    doubt: float = 0.0        # 1.0 when it asks whether the choice matters at all
    inverted: bool = False    # it asks for the option that does worst ("which should we avoid?")

    @property
    def kind(self) -> str:
        return "choice" if self.choice >= 0.5 else "fact"


def ask_sentence(text: str) -> str:
    """The sentence that asks: the last one with a question mark, else the last one."""
    parts = [p for p in re.split(r"(?<=[.!?])\s+|\n+", text.strip()) if p.strip()] or [text]
    asking = [p for p in parts if "?" in p]
    return (asking or parts)[-1]


def _one_edit(word: str, target: str) -> bool:
    """One substitution, insertion, deletion or swap of neighbours apart."""
    if abs(len(word) - len(target)) > 1 or word == target:
        return False
    if len(word) == len(target):
        diff = [i for i, (a, b) in enumerate(zip(word, target)) if a != b]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and
                                   word[diff[0]] == target[diff[1]] and
                                   word[diff[1]] == target[diff[0]])
    short, long = sorted((word, target), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def spell_cues(text: str) -> str:
    """The text with misspelt question words corrected ("whcih engine" -> "which engine");
    English stop words ("that") are never changed."""
    def fix(match: re.Match) -> str:
        word = match.group(0)
        low = word.lower()
        if len(low) < 4 or low in STOP or low in _CUE_WORDS:
            return word
        return next((w for w in _CUE_WORDS if _one_edit(low, w)), word)
    return re.sub(r"[A-Za-z]+", fix, text)


def _clipped(word: str) -> str:
    """A pattern for a word or, when it is long, its clipped forms ("orch" for orchestrator)."""
    if len(word) < 6:
        return re.escape(word)
    rest = "".join(f"(?:{re.escape(c)}" for c in word[4:]) + ")?" * (len(word) - 4)
    return re.escape(word[:4]) + rest + "s?"


def _asks_kind(text: str, ask: str, kinds: list[str]) -> bool:
    """Whether the question asks for one of the kind of thing the corpus compares ("which
    feature store …", "tracker pick?", "which orch", "what backend are we supposed to set");
    kinds come from the documents' titles (options.py). Not "what backend does X need?"."""
    if not kinds:
        return False
    alternatives = "|".join(_clipped(k) for k in kinds)
    return bool(re.search(rf"\bwhich\s+(\w+\s+){{0,2}}({alternatives})\b", text, re.I) or
                re.search(rf"\bwhat\s+(\w+\s+)?({alternatives})s?\s+(should|would|are we|"
                          rf"do we|do you|to use|to pick|to choose|is best|is better|fits)\b",
                          text, re.I) or
                re.search(rf"^\W*(\w[\w.+-]*\W+){{0,3}}({alternatives})(\s+(pick|choice|to use))?"
                          rf"\W*\?+\W*$", ask, re.I))


def cue_features(text: str, named: list[str], options) -> dict[str, float]:
    """The kind model's inputs (all in 0..1)."""
    text = spell_cues(text)
    has = {k: bool(p.search(text)) for k, p in _CUES.items()}
    ask = ask_sentence(text)
    spans = options.spans(text) if options else []  # nicknames too ("PL or HF accelerate")
    between = any(x != y and (_CUES["versus"].search(text[b:c]) and len(text[b:c]) < 40 or
                              _contrast(text, a, b, c))
                  for (a, b, x), (c, _, y) in zip(spans, spans[1:]))
    which_of = bool(re.search(r"\bwhich of\b", text, re.I)) and len(set(named)) >= 2
    short_ask = bool(_CUES["class_ask"].search(ask))  # "… keras backend?", "engine to use?"
    which_kind = _asks_kind(text, ask, getattr(options, "kinds", None) or [])
    or_option = any(re.search(r"\b(or|vs\.?|versus)\W+(\w+\W+){0,3}$", text[max(0, a - 30):a],
                              re.I) for a, _, _ in spans)
    other = any(not options.owner(x) and not options.owner(y) and x[:1].isupper() and
                y[:1].isupper() for x, y in _VERSUS.findall(text)) if options else False
    return {"ask_wh": float(bool(_CUES["wh_start"].search(ask))),
            "ask_yesno": float(bool(_CUES["yesno_start"].search(ask))),
            "which_choice": float(has["which_choice"] or has["which_superlative"] or which_of
                                  or short_ask or has["what_to_use"] or which_kind),
            "which_other": float(has["which_any"] and not (has["which_choice"] or which_of or
                                                           has["which_superlative"])),
            "should": float(has["should"]), "advice": float(has["advice"]),
            "compare": float(has["compare"]),
            "comparative": float(has["comparative"] and len(named) >= 2),
            "versus_named": float(between),
            "or_option": float(or_option), "versus_other": float(other),
            "named": min(len(named), 2) / 2, "situation": float(has["situation"]),
            "quantity": float(has["quantity"]), "long": min(1.0, len(content_terms(text)) / 20)}


def asks_quantity(text: str) -> bool:
    """Whether the asking sentence asks for an amount ("by how much?", "how many …?", "any
    numbers?") rather than for a pick."""
    return bool(_CUES["quantity"].search(ask_sentence(spell_cues(text))))


def asks_per_option(text: str) -> bool:
    """Whether the asking sentence asks for something of every option ("which formats does
    each framework support?", "how does each of them handle it?") rather than for a pick."""
    return bool(_CUES["per_option"].search(ask_sentence(spell_cues(text))))


def asks_yes_or_no(features: dict, named: list[str]) -> bool:
    """Whether a question asks a plain yes or no about something ("… blows up on MERGE. is this
    expected?", "can we drop the retention to 1 day?", "does tensorflow 2.16 still support
    python 3.8?"): its asking sentence is a yes/no question, it names one option at most, and
    nothing in it asks to choose (which, should, better, recommend, either, "X or Y")."""
    return bool(features["ask_yesno"]) and len(named) <= 1 and not any(
        features[k] for k in ("which_choice", "should", "advice", "compare", "comparative",
                              "versus_named", "or_option", "versus_other"))


def unwanted_terms(text: str) -> frozenset:
    """Terms the question says the user does not want or cannot have: the few words after a
    negative cue in the same clause ("zero gpus", "we hate rebuild churn"), and the few words
    before a burden laid on them ("anything AGPL needs a legal review"); none from a clause
    about doing it oneself ("so I don't have to wire up Silero myself": Silero is wanted).
    Not handled: a burden stated in its own sentence ("AGPL. Legal takes weeks on it")."""
    out = set()
    for clause in re.split(r"[,;?!()]|\.(?!\w)|\s+(?:but|and|so|while)\s+", text):
        if _DIY.search(clause):
            continue
        for m in _UNWANTED_CUE.finditer(clause):
            after = _WORD.findall(clause[m.end():])[:_UNWANTED["span_words"]]
            out |= set(terms(" ".join(after)))
        for m in _BURDEN.finditer(clause):  # "anything Apache-2.0 needs a legal ticket"
            before = _WORD.findall(clause[:m.start()])[-_UNWANTED["span_words"]:]
            out |= set(terms(" ".join(before)))
    return frozenset(out)


def needless_terms(text: str) -> frozenset:
    """Terms of what the user says they do not need or care about: the few words after "don't
    need", "dont care about", "no need for" in the same clause ("don't care about per-op
    control"). Not "the least code", "no GPUs" or "don't want users re-downloading": those ask
    for less of it, rule it out, or name what an option may spare them."""
    out = set()
    for clause in re.split(r"[,;?!()]|\.(?!\w)|\s+(?:but|and|so|while|just)\s+", text):
        for m in _NEEDLESS.finditer(clause):
            out |= set(terms(" ".join(_WORD.findall(clause[m.end():])[:_UNWANTED["span_words"]])))
    return frozenset(out)


def _contrast(text: str, a: int, b: int, c: int) -> bool:
    """Two mentions set against each other: "jax over pytorch", "torch instead of tf",
    "between torch and tf"."""
    match = _CUES["contrast"].match(text[b:c])
    return bool(match) and (not match.group(3) or
                            bool(re.search(r"\bbetween\W+$", text[max(0, a - 12):a], re.I)))


def is_status(text: str) -> bool:
    """Whether text only describes the current state (existing stack, what a team knows)."""
    return bool(_STATUS.search(text)) and not _REQUIRE.search(text)


def sentence_roles(parts: list[str]) -> list[float]:
    """Weight of each sentence of a question: the asking sentence and requirements count
    fully, a sentence that only describes the current state less (data/lexicon.json)."""
    weights = _ROLES["weights"]
    asking = max((i for i, p in enumerate(parts) if "?" in p), default=len(parts) - 1)
    out = []
    for i, part in enumerate(parts):
        if i == asking or _REQUIRE.search(part):
            out.append(weights["ask"] if i == asking else weights["requirement"])
        else:
            out.append(weights["status"] if _STATUS.search(part) else weights["other"])
    return out


def analyse(text: str, options) -> Question:
    named = options.named(text) if options else []
    features = cue_features(text, named, options)
    fit = load_data("calibration")["kind"]
    z = fit["bias"] + sum(fit["weights"].get(name, 0.0) * features[name] for name in FEATURES)
    return Question(text, named, 1 / (1 + math.exp(-z)), features,
                    float(bool(_DOUBT.search(text))), bool(_INVERTED.search(ask_sentence(text))))
