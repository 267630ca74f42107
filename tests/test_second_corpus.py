"""The answer layer over the team corpus (eval/corpora/team: the article, an ONNX Runtime vs
TensorRT note with lower-is-better tables, a JAX vs PyTorch wiki page): options, stance and
verdicts come from its documents, and what they never state (a price, a licence, a release,
hardware, a name) is refused by name. Documents written for a test are in
test_second_corpus_pages.py; prose read with no advisor in test_second_corpus_prose.py."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT
from conftest import corpus_advisor as _advisor

TEAM = ROOT / "eval" / "corpora" / "team"


@pytest.fixture(scope="module")
def team(tmp_path_factory, embedder):
    return _advisor(tmp_path_factory, embedder, TEAM, "team-index")


def test_options_come_from_the_documents(team):
    options = team.options
    assert set(options.display) == {"pytorch", "tensorflow", "jax", "onnx runtime", "tensorrt"}
    assert sorted(options.compared.values()) == [["jax", "pytorch"], ["onnx runtime", "tensorrt"],
                                                 ["pytorch", "tensorflow"]]
    assert options.named("ORT or TRT? onnxruntime vs tensorrt, pytroch") == \
        ["tensorrt", "onnx runtime", "pytorch"]


@pytest.mark.parametrize("question,verdict", [
    ("ONNX Runtime or TensorRT for the lowest latency on our A100 fleet?", "tensorrt"),
    ("we need the same model on CPUs, AMD GPUs and in the browser. which inference engine?",
     "onnx runtime"),
    ("JAX or PyTorch for a product team that needs pretrained checkpoints and serving?",
     "pytorch"),
])
def test_verdicts_name_the_right_option(team, question, verdict):
    answer = team.ask(question)
    assert answer.verdict == verdict, answer.answer
    assert answer.headline == team.options.label(verdict)
    assert answer.answer.startswith(answer.headline)


def test_numbers_are_compared_in_the_direction_their_unit_implies(team):
    rows = {json.loads(n.metadata["row_cells"])[0]: json.loads(n.metadata["stance"])
            for n in team.index.nodes if n.metadata.get("kind") == "table_row"}

    def favoured(label):
        scores = rows[label][0][2]
        return max((k for k in scores if k != "either"), key=scores.get)

    assert favoured("ResNet-50") in ("tensorrt",)         # 2.9 ms vs 1.1 ms: lower wins
    assert favoured("EfficientNet-B0") == "tensorrt"      # 6,100 vs 11,800 img/s: higher wins
    assert favoured("Cold start (ResNet-50, first request)") == "onnx runtime"  # 0.4 s vs 38 s
    assert favoured("ViT-B/16 on TPU v4-8") == "jax"     # 41 vs 63 ms/step
    assert not rows.get("First Release")                  # years are facts, not scores
    from assistant.cues import direction
    assert direction("1 line (policy setting)") == direction("3-5 lines of code") == -1
    assert direction("1 hour") == direction("2 days") == -1 and direction("status") == 0
    assert direction("GPU utilisation (%)") == 1 and direction("Preemption recovery (min)") == -1
    answer = team.ask("Which engine has the faster cold start?")
    assert answer.verdict == "onnx runtime"


@pytest.mark.parametrize("question", [
    "which engine gets more images/sec at batch 64?",
    "big batch offline scoring on an A100: which engine processes more images per second?",
])
def test_table_rows_are_as_relevant_as_their_neutral_caption(team, question):
    """"Images per second on the same A100. Higher is better." outranks the rows it
    introduces; the rows carry its relevance and decide."""
    answer = team.ask(question)
    assert answer.verdict == "tensorrt", answer.answer
    assert any("8,700" in c.text or "11,800" in c.text for c in answer.citations)


def test_a_clipped_name_names_its_option_and_an_ordinary_word_is_no_name(team):
    """A word that only starts one option's name ("onnxrun") names it, and a short word set
    against it is then a nickname; an English word ("tensor") is neither a clipped nor a
    misspelt name."""
    assert team.options.named("onnxrun or trt?") == ["onnx runtime", "tensorrt"]
    assert team.options.named("tensor parallel in onnx runtime") == ["onnx runtime"]
    assert team.options.named("tens or pyt") == []


def test_a_negator_in_the_subject_does_not_flip_the_recommendation(team):
    """"Teams without GPU specialists should start with X" recommends X: the negator belongs
    to the subject, not to the cue ("should start with")."""
    from assistant.prose import clause_stance

    stance, _ = clause_stance("Teams without GPU specialists should start with ONNX Runtime.",
                              team.options, None)
    assert stance.get("onnx runtime", 0) > 0, stance
    stance, _ = clause_stance("TensorRT is not faster to deploy.", team.options, None)
    assert stance.get("tensorrt", 0) < 0, stance
    stance, _ = clause_stance("ONNX Runtime remains the right tool for CPU-only fleets.",
                              team.options, None)
    assert stance.get("onnx runtime", 0) > 0, stance
    stance, _ = clause_stance("The TensorRT defaults are a trap for dynamic shapes.",
                              team.options, None)
    assert stance.get("tensorrt", 0) < 0, stance
    stance, _ = clause_stance("ONNX Runtime makes CPU deployment straightforward.",
                              team.options, None)
    assert stance.get("onnx runtime", 0) > 0, stance
    stance, _ = clause_stance("Tuning TensorRT plugins is non-trivial.", team.options, None)
    assert stance.get("tensorrt", 0) < 0, stance


def test_an_option_named_only_as_context_does_not_make_the_choice(team):
    """The asking sentence is about inference engines; PyTorch is what the team already
    chose for another reason, so it is no candidate, however well the article matches the
    context sentence."""
    question = ("small teams ship faster with pytorch, which is why we went pytorch. same logic "
                "for the inference runtime on our nvidia-only A100 fleet?")
    work = team.workings(question)
    assert work.decision is not None
    assert set(work.decision.candidates) == {"onnx runtime", "tensorrt"}
    assert team.ask(question).verdict in ("tensorrt", "either")
    # named in the asking sentence, it stays a candidate
    assert "pytorch" in team.workings("we went pytorch. same logic for pytorch or jax on an "
                                      "A100 fleet?").decision.candidates


def test_refusals_describe_this_corpus(team):
    answer = team.ask("How do I install TensorRT on Ubuntu with pip?")
    assert answer.abstained
    for pair in ("ONNX Runtime vs TensorRT", "JAX vs PyTorch", "PyTorch vs TensorFlow"):
        assert pair in answer.answer


def test_names_unknown_to_the_corpus_and_to_english_count_as_rare(team):
    """Chat filler the corpus never uses ("dumb", "spells") is common English, not a name
    the documents lack; "openvino" is both unknown and rare, and setting it against a known
    engine is a comparison the documents cannot make."""
    from assistant.answerability import _alternatives, _rare

    lexical, common = team.index.lexical, team.embedder.vocabulary
    assert not _rare("dumb q but nobody spells it out", lexical, common)
    assert _rare("openvino vs onnxruntime on intel cpus", lexical, common) == {"openvino"}
    assert _alternatives("openvino vs onnxruntime on intel cpus",
                         _rare("openvino vs onnxruntime", lexical, common))
    assert _alternatives("is it fast perf or speedz", {"speedz"})
    assert not _alternatives("does it matter speedz-wise or is it the same", {"speedz"})
    # two words the corpus never uses, common English or not, are alternatives it can't weigh
    assert _alternatives("flask or django for the api?", set(), lexical, team.options)
    assert not _alternatives("ORT vs TRT for the api?", set(), lexical, team.options)
    assert not _alternatives("pytroch or tensorflw?", set(), lexical, team.options)


def test_alternatives_of_its_own_get_no_verdict_among_the_corpus_options(team):
    """A question that weighs two things the documents never name is not a choice between
    the documents' options, whatever retrieval finds."""
    answer = team.ask("best framework for a REST API in python, flask or django?")
    assert answer.verdict is None
    assert team.ask("ORT or TRT for a REST API in python?").verdict is not None


def test_an_option_set_against_a_name_the_documents_never_use_is_refused_by_name(team):
    """"Volcano vs TensorRT": the documents cannot compare an option with what they never
    mention, even an English word; the refusal says which name is missing. Two options,
    nicknames included, and a known word beside an option are still answered."""
    answer = team.ask("Volcano vs TensorRT for our A100 fleet — which one is faster?")
    assert answer.abstained and answer.verdict is None
    assert "don't mention Volcano" in answer.answer and "TensorRT" in answer.answer
    assert team.workings("mlx or onnx runtime on a laptop?").uncompared == \
        ("mlx", team.options.label("onnx runtime"))
    assert team.workings("ORT vs TRT on the A100s, which is faster?").uncompared is None
    assert team.workings("fp16 or TensorRT int8 on the A100s?").uncompared is None
    # naming no option: a name that is no English word, set against anything by "vs" or
    # capitalised; a lower-case "or" between verbs is a wish, not two tools
    assert team.workings("horovod vs DDP for multi-node training?").uncompared == \
        ("horovod", None)
    assert team.workings("nobody wants to run or babysit servers. which one?").uncompared \
        is None


def test_a_price_no_document_states_is_refused(team):
    """The notes call TensorRT proprietary but print no price: asking what it costs is asking
    for an amount no passage states."""
    work = team.workings("how much does a TensorRT license cost per year for a 20-GPU cluster?")
    assert work.signals["amount_unstated"] == 1.0
    assert team.respond(work).abstained
    faster = team.workings("how much faster is TensorRT than ONNX Runtime on ResNet-50?")
    assert faster.signals["amount_unstated"] == 0.0 and not team.respond(faster).abstained
    # "cost" as a noun of the question ("what do the notes flag as the cost/risk") asks no price
    risk = team.workings("what do the notes flag as the cost/risk of rebuilding engines?")
    assert risk.signals["amount_unstated"] == 0.0
    assert team.workings("what would TensorRT cost us?").signals["amount_unstated"] == 1.0
    # a price in a passage far less relevant than the best is about something else
    from types import SimpleNamespace

    from assistant.amounts import amount_unstated as _amount_unstated

    def evidence(*pairs):
        return [SimpleNamespace(passage=SimpleNamespace(text=t, meta={}), relevance=r, meta={})
                for t, r in pairs]

    question = "how much does an H100 cost per hour on the cloud we use?"
    deploy, cluster = "Deploy on H100 and A100 GPUs.", "The test cluster cost $2,300 a month."
    assert _amount_unstated(question, evidence((deploy, 1.0), (cluster, 0.3))) == 1.0
    assert _amount_unstated(question, evidence((deploy, 1.0), (cluster, 0.8))) == 0.0
    assert _amount_unstated("how much per hour is an H100 there?", evidence((deploy, 1.0))) == 1.0
    assert _amount_unstated("how much traffic per month does it get?", evidence((deploy, 1.0))) \
        == 0.0  # an amount, but no price
    assert _amount_unstated("what's the hourly rate for an A100?", evidence((deploy, 1.0))) == 1.0
    header = "Framework: ZenML | Supporting services cost ($/month): 420"  # a priced column
    assert _amount_unstated("what does zenml cost per month?", evidence((header, 1.0))) == 0.0


def test_an_amount_stated_of_something_else_is_no_answer(team):
    """A licence or a price counts as stated only in a passage that names what the question
    asks it of: an option by any of its names ("pt", "tf") or a word that is not common
    English ("H100"). The notes name PyTorch's and TensorFlow's licences, never JAX's."""
    from types import SimpleNamespace

    from assistant.amounts import amount_unstated as _amount_unstated

    assert team.workings("what licenses are pt and tf under?").signals["amount_unstated"] == 0.0
    assert team.workings("what license is JAX released under?").signals["amount_unstated"] == 1.0

    def evidence(*texts):
        return [SimpleNamespace(passage=SimpleNamespace(text=t, meta={}), relevance=1.0, meta={})
                for t in texts]

    question = "how much does an H100 cost per hour on that cloud?"
    cluster, rented = "The test cluster cost $2,300 a month.", "An H100 rents at $2.40 an hour."
    assert _amount_unstated(question, evidence(cluster), {"h100"}) == 1.0
    assert _amount_unstated(question, evidence(cluster, rented), {"h100"}) == 0.0
    assert _amount_unstated(question, evidence(cluster)) == 0.0  # naming nothing: any price


def test_a_count_counts_as_stated_only_as_a_number_written_with_what_is_counted():
    """"how many GPUs …?" is answered by "8 A100 GPUs" or "three GPUs", not by a passage that
    says GPUs help, nor by the digits inside a chip's name ("H100 GPUs")."""
    from types import SimpleNamespace

    from assistant.amounts import amount_unstated as _amount_unstated

    def evidence(*texts):
        return [SimpleNamespace(passage=SimpleNamespace(text=t, meta={}), relevance=1.0, meta={})
                for t in texts]

    question = "how many GPUs does the ranking model run on these days?"
    assert _amount_unstated(question, evidence("It runs on 8 A100 GPUs in one pool.")) == 0.0
    assert _amount_unstated(question, evidence("It moved to three GPUs last spring.")) == 0.0
    assert _amount_unstated(question, evidence("It runs on H100 GPUs now.")) == 1.0
    assert _amount_unstated(question, evidence("GPUs made ranking much faster.")) == 1.0
    assert _amount_unstated("how many days did the port take?",
                            evidence("Porting took 12 engineer-days.")) == 0.0


def test_a_release_or_licence_no_top_passage_states_counts_as_unstated(team):
    """"Which release added X?" with no version number among the best passages, and "what
    license is X under?" with no licence named there, ask for what the documents do not say;
    where a passage states it, or the question only mentions a version or a licence, they
    do not."""
    from types import SimpleNamespace

    from assistant.amounts import amount_unstated as _amount_unstated

    def evidence(*texts):
        return [SimpleNamespace(passage=SimpleNamespace(text=t, meta={}), relevance=1.0, meta={})
                for t in texts]

    prose = evidence("The Python backend lets you write pre- and post-processing in Python.")
    for question in ("which triton release added the python backend?",
                     "what's the latest tensorflow serving version?",
                     "when was the python backend released?",
                     "what license is the python backend under? legal needs it"):
        assert _amount_unstated(question, prose) == 1.0, question
    assert _amount_unstated("which release added it?", evidence("Added in 2.16.")) == 0.0
    assert _amount_unstated("what license is it under?",
                            evidence("License | BSD-3-Clause | Apache 2.0")) == 0.0
    for question in ("does the latest version still need a GPU?",  # a version, not the ask
                     "is the python backend fast?", "p95 latency of the latest approved version?"):
        assert _amount_unstated(question, prose) == 0.0, question
    assert team.ask("which jax release added shard_map?").abstained
    assert team.ask("what license is the ONNX Runtime web build released under?").abstained


def test_a_release_no_document_writes_is_refused_by_name(team):
    """"does TensorRT 10.7 …?": the documents cannot speak for a release they never write. A
    number with a unit, a model with its size, a preposition before a version and the user's
    own setup name no release; a version the documents write is answerable."""
    from assistant.unwritten import releases, unknown_release

    answer = team.ask("does TensorRT 10.7 still support INT8 calibration on the A100?")
    assert answer.abstained and "TensorRT 10.7" in answer.answer
    known = releases(["Llama 3.1 and tmpl v1.0 ship with Keras 3."])
    assert known >= {"3.1", "1.0", "keras 3"}
    assert unknown_release("does keras 3.0 run on jax?", known) is None
    assert unknown_release("does tmpl 1.0 do that?", known) is None
    assert unknown_release("does tf 2.16 run on windows?", known) == ("tf 2.16", None)
    for text in ("is 2.5 GB of memory enough?", "can it fine-tune qwen 2.5 7b?",
                 "is the graph the default since 2.0?", "we're on tf 2.15. is that a problem?"):
        assert unknown_release(text, known) is None, text


def test_a_whole_number_release_of_a_name_the_documents_write_is_refused_by_name(team):
    """"does keras 3 let me swap the backend?": the documents write Keras, never Keras 3. A
    version they do write, a name they never capitalise inside a sentence, a model with its
    size, a name with a hyphenated part ("TPU v4-8") and the user's own setup name none."""
    from assistant.unwritten import proper_names, releases, unknown_release

    texts = ["Both ship Keras layers and run on Python. TPU v4-8 pods cost more.",
             "Top results came from TensorFlow 2 on a TPU."]
    known, names = releases(texts), proper_names(texts)
    assert {"keras", "python", "tensorflow"} <= names and "top" not in names
    assert unknown_release("does keras 3 let me swap the backend?", known, names) == \
        ("keras 3", None)
    assert unknown_release("is python v3 needed?", known, names) == ("python v3", None)
    for text in ("does tensorflow 2 have eager mode?", "what are the top 5 tricks?",
                 "how much memory does llama 3 8b need?", "TPU v4-8 numbers for tensorflow?",
                 "we're on keras 3. is that a problem?"):
        assert unknown_release(text, known, names) is None, text
    answer = team.ask("keras 3 is multi-backend now right? can i run my keras code on top of "
                      "pytorch")
    assert answer.abstained and "keras 3" in answer.answer


def test_a_refusal_by_an_unwritten_release_still_shows_the_nearest_passages(team):
    """The documents cannot speak for tf 2.16, but what they say about mixed precision is
    shown under the refusal, not dropped."""
    answer = team.ask("does tf 2.16 support mixed precision with one line of code?")
    assert answer.abstained and "don't mention tf 2.16" in answer.answer
    assert answer.citations and "listed below" in answer.answer
    assert any("precision" in c.text.lower() for c in answer.citations)


def test_hardware_no_document_writes_is_refused_by_name(team):
    """"… on an MI300X?": the documents measured other hardware. Amounts ("7b", "80gb", "3x"),
    numeronyms ("k8s"), a plural of a written name ("A100s"), a name's number written apart
    ("Keras 3") and the user's own setup name no such thing."""
    from assistant.unwritten import identifiers, unknown_identifier

    answer = team.ask("what latency does ONNX Runtime get on an MI300X?")
    assert answer.abstained and "MI300X" in answer.answer
    known = identifiers(["ResNet-50 on the A100 with Keras 3 and INT8."])
    assert {"resnet50", "a100", "keras3", "int8"} <= known
    assert unknown_identifier("how fast is resnet50 on the mi300x?", known) == ("mi300x", None)
    # a hyphen before the number is read away, and the name is shown as the user wrote it
    assert unknown_identifier("how much vram does Phi-4 need?", known) == ("Phi-4", None)
    assert unknown_identifier("how fast is ResNet-50 on the A100?", known) is None
    assert {"yolov8", "v8"} <= identifiers(["YOLO v8 on COCO."]) & identifiers(["YOLOv8 runs."])
    for text in ("how fast is resnet50 on A100s?", "does keras3 support int8?",
                 "is resnet50n on an a100 fast?",
                 "how much vram for a 7b on 80gb cards, 3x the batch?",
                 "what's the k8s operator called?", "we're on MI300X boxes. is that a problem?"):
        assert unknown_identifier(text, known) is None, text


def test_a_product_named_with_a_capital_inside_that_no_document_writes_is_refused(team):
    """"… for our CoreML export path, X or Y?": a name with a capital inside is a product's, and
    documents that never write it cannot choose for it; a name they write ("WebGPU" in the
    ONNX Runtime page), a plural acronym ("OOMs") and the user's own setup in a sentence of its
    own ("We run everything on KServe.") refuse nothing."""
    from assistant.unwritten import unknown_identifier

    answer = team.ask("which one is better for our CoreML export path, onnx runtime or tensorrt?")
    assert answer.abstained and "don't mention CoreML" in answer.answer
    assert not team.ask("does ONNX Runtime have a WebGPU backend?").abstained
    assert team.ask("We run everything on KServe. Which is faster on an A100, ONNX Runtime or "
                    "TensorRT?").verdict == "tensorrt"
    written = {"tensorrt", "webgpu"}.__contains__
    assert unknown_identifier("is NanoEdge better than TensorRT?", frozenset(), written,
                              digits=False) == ("NanoEdge", None)
    for text in ("TensorRT keeps giving OOMs, is it lighter?", "does TensorRT run on WebGPU?",
                 "which one for our iPhones?"):
        assert unknown_identifier(text, frozenset(), written, digits=False) is None, text
