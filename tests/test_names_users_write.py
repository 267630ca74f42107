"""Names as users write them (two-letter names, one word of a longer name), comparisons
against different options in one sentence, modal recommendations, choices framed against the
option being left, rating scales and "which <verb> fastest". Pure functions over small
made-up documents: no index needed."""
from __future__ import annotations

import json
from types import SimpleNamespace

from assistant.options import Options


def _row(cells: list[str], header: list[str], source: str = "managers.html") -> SimpleNamespace:
    meta = {"kind": "table_row", "table_id": "t1", "table_header": json.dumps(header),
            "row_cells": json.dumps(cells), "source": source, "title": "Managers: qa vs wb",
            "heading_path": "Feature comparison"}
    return SimpleNamespace(text=" | ".join(cells), metadata=meta)


def _section(heading: str, text: str, source: str = "managers.html") -> SimpleNamespace:
    return SimpleNamespace(text=text, metadata={"kind": "paragraph", "source": source,
                                                "title": "Managers: qa vs wb",
                                                "heading_path": heading})


def test_a_two_letter_lower_case_name_in_a_header_and_a_heading_is_an_option():
    """"qa" heads a column and a "When to choose qa" section: an option like "wb"; a short
    word in a header alone ("id") is not."""
    from assistant.discovery import discover

    header = ["Feature", "id", "qa", "wb"]
    nodes = [_row(["Offline installs", "1", "Yes", "No"], header),
             _row(["Lock files", "2", "Yes", "Yes"], header),
             _section("When to choose qa", "Choose qa when every dependency is a wheel."),
             _section("When to choose wb", "Choose wb for compiled extensions.")]
    options = discover(nodes)
    assert {"qa", "wb"} <= set(options.display) and "id" not in options.display
    assert options.mentions("we are airgapped. qa or wb?")[0][2] == "qa"


def test_a_but_clause_measured_against_another_option_does_not_concede_the_first():
    """"wb was slower than qa on every metric but still faster than rc": wb lost to qa and
    beat rc; only a "but" clause about the same options concedes the clause before it."""
    from assistant.prose import prose_parts

    options = Options({"qa": "qa", "wb": "wb", "rc": "rc"})
    text = "wb was slower than qa on every metric but still about 8 times faster than rc."
    stances = [part[2] for part in prose_parts(text, options, None)]
    assert stances[0] == {"wb": -1.0, "qa": 1.0}, stances
    assert stances[1].get("wb", 0) > 0 > stances[1].get("rc", 0), stances


def test_a_modal_before_a_recommending_verb_recommends_what_it_names():
    """"… are blocked by GDAL and should move to wb instead" recommends wb; "should not use"
    advises against it; "should" before any other verb says nothing of the option."""
    from assistant.naming import recommended

    options = Options({"qa": "qa", "wb": "wb"})
    assert recommended("3 of our 14 repositories are blocked by GDAL builds and should move to "
                       "wb instead", options) == {"wb": 1.0}
    assert recommended("teams should not use the qa resolver for this", options) == {"qa": -1.0}
    assert recommended("the lock file should describe what qa resolved", options) == {}


def test_the_option_the_user_wants_off_is_no_candidate_and_a_dash_joins_no_list():
    """"our repo is on rc atm. we want off rc - qa or wb?" chooses between qa and wb."""
    from assistant.candidates import _narrowed

    options = Options({"qa": "qa", "wb": "wb", "rc": "rc"})
    pool = ["rc", "qa", "wb"]
    question = "our geospatial repo is on rc atm. we want off rc - qa or wb?"
    assert _narrowed(question, pool, options) == ["qa", "wb"]
    assert _narrowed("our repo is on rc. qa or wb?", pool, options) == ["qa", "wb"]
    assert _narrowed("rc, qa or wb?", pool, options) == pool


def test_a_kind_named_in_the_documents_titles_picks_their_group():
    """"which env manager fits?" after a set-up about a framework: the documents' titles
    ("Environment managers …") make "manager" a kind, so the managers' group comes first."""
    from assistant.candidates import _by_class

    evidence = [SimpleNamespace(meta={"source": "article.md",
                                      "title": "PyTorch vs TensorFlow"}),
                SimpleNamespace(meta={"source": "managers.html",
                                      "title": "Environment managers: rc vs qa vs wb"})]
    groups = [("article.md", ["pytorch", "tensorflow"]), ("managers.html", ["rc", "qa", "wb"])]
    question = "lots of torch.compile experiments on linux boxes. which env manager fits?"
    assert _by_class(question, evidence, groups)[0][0] == "article.md"
    assert _by_class(question, evidence, groups, ["manager", "em"])[0][0] == "managers.html"


def test_a_word_of_a_name_used_nowhere_else_is_its_short_name_unless_a_common_word():
    """"XTTS" is only ever written in "Coqui XTTS": users' "xtts" names it. "Tune" of "Ray
    Tune" is an English word and "Runtime" a kind of option: neither becomes a name, and
    without a dictionary no word the corpus never uses alone does."""
    from assistant.aliases import own_words

    options = Options({"coqui xtts": "Coqui XTTS", "ray tune": "Ray Tune",
                       "onnx runtime": "ONNX Runtime", "piper": "Piper"})
    page = ("Coqui XTTS clones voices. Ray Tune sweeps settings. ONNX Runtime serves Piper. "
            "Coqui XTTS needs a GPU. Ray Tune runs trials. ONNX Runtime is fast.")
    common = frozenset({"tune", "ray", "clones", "voices"})
    found = own_words(options, {"tts.html": page}, {"clones", "voices", "needs"}, common)
    assert found.get("xtts") == "coqui xtts" and found.get("coqui") == "coqui xtts"
    assert "tune" not in found and "runtime" not in found and "ray" not in found
    assert own_words(options, {"tts.html": page}, set()) == {}


def test_an_option_named_in_the_question_is_not_what_a_clause_about_it_holds():
    """"stale answers … langfuse, phoenix or helicone?": the clause "Ticketbot has been routed
    through the Helicone proxy" holds the name the question wrote, not what it asked for, and
    credits Helicone nothing; "Helicone caches stale answers" holds what was asked."""
    from assistant.votes import passage_scores

    def passage(text: str) -> SimpleNamespace:
        meta = {"stance": json.dumps([[0, len(text), {}, "helicone", False]]),
                "heading_stance": "{}"}
        evidence = SimpleNamespace(meta=meta, passage=None)
        evidence.passage = SimpleNamespace(text=text)
        return evidence

    weighted = {"helicone": 4.0, "langfuse": 4.0, "stale": 3.0, "answers": 2.0}
    pool, names = ["langfuse", "helicone"], frozenset({"helicone", "langfuse"})
    routed = passage("Since June 2024 Ticketbot has been routed through the Helicone proxy")
    assert passage_scores(routed, weighted, pool, names).get("helicone", 0.0) == 0.0
    caches = passage("Helicone caches stale answers for an hour")
    assert passage_scores(caches, weighted, pool, names)["helicone"] > 0


def test_a_word_of_a_longer_name_in_a_list_of_options_names_that_option():
    """"piper, xtts or polly?": "polly" is a word of one peer's name, Amazon Polly; a word two
    peers' names share ("model") names neither, and outside a list it names nothing."""
    options = Options({"piper": "Piper", "coqui xtts": "Coqui XTTS",
                       "amazon polly": "Amazon Polly", "mlflow model registry": "MLflow Model "
                       "Registry", "sagemaker model registry": "SageMaker Model Registry"},
                      {"xtts": "coqui xtts", "mlflow": "mlflow model registry"})
    options.compared = {"tts.html": ["piper", "coqui xtts", "amazon polly"],
                        "registries.md": ["mlflow model registry", "sagemaker model registry"]}
    assert options.named("word highlighting synced to audio. piper, xtts or polly?") == \
        ["piper", "coqui xtts", "amazon polly"]
    assert options.named("mlflow or model?") == ["mlflow model registry"]
    assert options.named("polly the parrot reads aloud") == []


def test_a_clause_whose_option_is_no_near_object_is_about_that_option():
    """"None of the self-hosted figures include engineering time, which was the biggest
    hidden cost for Coqui XTTS": about XTTS, not the option of the sentence before, though
    an "of" opens it; "… faster than the old XTTS build" still makes XTTS the object."""
    from assistant.prose import prose_parts

    options = Options({"piper": "Piper", "coqui xtts": "Coqui XTTS",
                       "amazon polly": "Amazon Polly"})
    text = ("Amazon Polly is 60 × $16 on the Neural engine. None of the self-hosted figures "
            "include engineering time, which was the biggest hidden cost for Coqui XTTS.")
    assert [part[3] for part in prose_parts(text, options, None)] == \
        ["amazon polly", "coqui xtts"]
    text = "Amazon Polly is managed. It is faster than the old Coqui XTTS build."
    assert prose_parts(text, options, None)[-1][2] == {"amazon polly": 1.0, "coqui xtts": -1.0}


def test_a_rating_on_a_scale_is_higher_better_and_any_verb_before_a_superlative_asks_a_choice():
    """"Naturalness MOS (1-5)" and "out of 10" rate: higher wins; a score of unknown kind
    has no direction. "which spins up fastest?" chooses, as "which is fastest?" does."""
    from assistant.cues import direction
    from assistant.question import _CUES

    assert direction("Naturalness MOS (1-5)") == direction("Ease of use, out of 10") == 1
    assert direction("Risk score") == 0 and direction("Cold start (s)") == -1
    assert direction("Task start delay (median)") == -1  # a delay, like a wait: lower wins
    assert direction("Cold install, empty cache (s)") == -1  # seconds
    assert direction("Supported GPU(s)") == 0  # a plural, no unit
    assert direction("NER spans/annot.-hour") == direction("tokens per GPU-hour") == 1  # rates
    assert direction("$ per GPU-hour") == -1  # a price
    superlative = _CUES["which_superlative"]
    assert superlative.search("of the self-hosted options which spins up fastest from cold?")
    assert not superlative.search("which ships first?")


def test_a_labelled_recommendation_with_a_qualifier_after_a_comma_holds_its_label():
    """"* Default for new LLM services: Langfuse, self-hosted in the EU VPC." recommends
    Langfuse, and the label is what the recommendation answers: "a brand new LLM service,
    what's the default tool?" finds its terms there, more than in a later tie."""
    from assistant.prose import prose_parts
    from assistant.votes import _part_hits

    options = Options({"langfuse": "Langfuse", "arize phoenix": "Arize Phoenix"})
    text = ("* Default for new LLM services: Langfuse, self-hosted in the EU VPC.\n"
            "* Teams that already emit spans: either Langfuse or Arize Phoenix works equally well.")
    parts = prose_parts(text, options, None)
    assert parts[0][2] == {"langfuse": 1.0}
    hits = _part_hits(parts, text, {"default": 2.6, "new": 3.0, "llm": 2.2, "servic": 3.0})
    tie = next(i for i, part in enumerate(parts) if "either" in part[2])
    assert hits[0] > hits[tie]
    # a comma list of names is still read as a list, not as one name and its qualifier
    assert not any(part[2] for part in prose_parts("GPU stages: Langfuse, Arize Phoenix.",
                                                   options, None))


def test_a_four_word_product_name_in_a_header_and_a_heading_is_an_option():
    """"Vertex AI Model Registry" heads a column beside two three-word registries and has
    its "When to choose" section: an option like them."""
    from assistant.discovery import discover

    header = ["Feature", "MLflow Model Registry", "SageMaker Model Registry",
              "Vertex AI Model Registry"]
    nodes = [_row(["Version aliases", "Yes", "No", "Yes"], header),
             _row(["Runs on-prem", "Yes", "No", "No"], header)]
    nodes += [_section(f"When to choose {name}", f"Choose {name} when it fits.")
              for name in header[1:]]
    assert {"mlflow model registry", "sagemaker model registry",
            "vertex ai model registry"} <= set(discover(nodes).display)


def test_a_kind_asked_for_finds_its_group_in_less_relevant_evidence():
    """"we're pytorch … which registry?": the five most relevant passages are the article's,
    but a registry document further down names the kind asked for, so its group is chosen;
    a question that asks for no kind keeps to the first five."""
    from assistant.candidates import _pool

    def passage(source: str, title: str) -> SimpleNamespace:
        return SimpleNamespace(meta={"source": source, "title": title},
                               passage=SimpleNamespace(text="", sentence_cosines=[]))

    evidence = [passage("article.md", "PyTorch vs TensorFlow")] * 5 + \
        [passage("registries.md", "Choosing a Model Registry")]
    options = Options({"pytorch": "PyTorch", "tensorflow": "TensorFlow", "mlflow": "MLflow",
                       "vertex": "Vertex"})
    options.compared = {"article.md": ["pytorch", "tensorflow"],
                        "registries.md": ["mlflow", "vertex"]}
    options.kinds = ["registry"]
    assert _pool(["pytorch"], evidence, options, "we're pytorch and multi-cloud. given that, "
                 "which registry?") == ["mlflow", "vertex"]
    assert _pool(["pytorch"], evidence, options, "we're pytorch. which is better?") == \
        ["pytorch", "tensorflow"]



_SAME_INITIALS = '''
import json, sys
from types import SimpleNamespace
from assistant.discovery import discover
def row(cells, header, source):
    return SimpleNamespace(text=" | ".join(cells), metadata={
        "kind": "table_row", "table_id": source, "table_header": json.dumps(header),
        "row_cells": json.dumps(cells), "source": source, "title": header[1] + " vs " + header[2],
        "heading_path": "Comparison"})
def section(heading, text, source):
    return SimpleNamespace(text=text, metadata={"kind": "paragraph", "source": source,
                                                "title": "", "heading_path": heading})
nodes = [row(["Mobile", "TF Lite", "ExecuTorch"], ["Target", "TensorFlow", "PyTorch"], "a.md"),
         row(["Load", "Fast", "Slow"], ["Target", "TensorFlow.js", "ONNX Runtime Web"], "b.md"),
         section("When to choose TensorFlow", "TensorFlow serves TF models.", "a.md"),
         section("When to choose TensorFlow.js", "TensorFlow.js runs in tabs.", "b.md")]
found = discover(nodes)
print(json.dumps([found.aliases.get("tf"), list(found.display)]))
'''


def test_two_options_whose_initials_agree_give_them_to_the_one_they_spell_whole():
    """"TensorFlow" and "TensorFlow.js" in one corpus: "tf" is TensorFlow's, in every run
    (whatever the interpreter's hash seed), and the options come in the same order."""
    import os
    import subprocess
    import sys

    from assistant.aliases import abbreviation

    assert abbreviation("TensorFlow") == "tf" and abbreviation("TensorFlow.js") is None
    runs = {subprocess.run([sys.executable, "-c", _SAME_INITIALS], capture_output=True,
                           text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
            for seed in range(6)}
    assert len(runs) == 1, runs
    assert json.loads(runs.pop())[0] == "tensorflow"
