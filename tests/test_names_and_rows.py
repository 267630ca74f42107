"""Option names as users shorten them, rows of one option in several set-ups, power as a
lower-is-better measure, and a clause conceded by the "but" after it. Pure functions over
small made-up documents: no index needed."""
from __future__ import annotations

from assistant.options import Options


def test_a_word_only_the_options_own_document_uses_alone_is_its_alias():
    """"Coral" and "Orin" name their boards; "TPU", which another document uses of other
    chips, and "Edge", an ordinary word there, do not."""
    from assistant.aliases import own_words

    options = Options({"coral edge tpu": "Coral Edge TPU", "jetson orin nano": "Jetson Orin Nano"})
    report = ("Coral Edge TPU and Jetson Orin Nano were tested. Coral drew 11 W. Coral was "
              "cheapest. We dropped Coral for re-ID. Orin was fastest. Orin ran TensorRT. Orin "
              "needs JetPack. Jetson boards ship a TPU-free design. The edge node runs Linux. "
              "Edge TPU compilation was slow. TPU ops must be INT8. TPU graphs split.")
    article = "TensorFlow runs best on Google's TPU pods."
    plain = {"the", "edge", "node", "runs", "was", "were", "and"}
    found = own_words(options, {"report.pdf": report, "article.md": article}, plain)
    assert found == {"coral": "coral edge tpu", "orin": "jetson orin nano"}


def test_a_word_inside_a_path_or_image_tag_is_no_ordinary_word():
    """"NeMo" is the short name of "NVIDIA NeMo" although the page pulls the image
    "nvcr.io/nvidia/nemo:24.12"; a word the prose writes in lower case still is ordinary."""
    from assistant.aliases import plain_words, standalone_word

    page = ("NVIDIA NeMo exports to ONNX. NeMo ships FastConformer. We ran NeMo on Triton. "
            "Pull nvcr.io/nvidia/nemo:24.12 first. NeMo needs a GPU.")
    plain = plain_words(page)
    assert "nemo" not in plain and "exports" in plain
    assert standalone_word("NVIDIA NeMo", page, plain, {}) == "nemo"
    assert standalone_word("NVIDIA NeMo", page + " a nemo of sorts", plain_words(
        page + " a nemo of sorts"), {}) is None


def test_a_numbered_name_of_several_words_is_shortened_to_its_initials():
    """Users write "sb3" for Stable-Baselines3; a question naming it is about that option,
    not about a name the documents never write."""
    from types import SimpleNamespace

    from assistant.advisor import _State
    from assistant.aliases import part_initials
    from assistant.unwritten import unknown_identifier

    assert part_initials("Stable-Baselines3") == part_initials("Stable Baselines 3") == "sb3"
    assert part_initials("DeepSpeed ZeRO-3") is None and part_initials("Hailo-8") is None
    assert part_initials("Hugging Face Accelerate") is None
    text = "Stable-Baselines3 ships TD3 and SAC. RLlib scales to many nodes."
    options = Options({"stable-baselines3": "Stable-Baselines3", "rllib": "RLlib"},
                      {"sb3": "stable-baselines3"})
    state = _State(SimpleNamespace(nodes=[SimpleNamespace(text=text)]), None, False, options,
                   {}, "")
    question = "we want TD3 for continuous control, sb3 or rllib?"
    assert unknown_identifier(question, state.identifiers) is None
    assert unknown_identifier(question, state.identifiers - {"sb3"}) == ("sb3", None)


def test_avoid_it_under_a_when_to_choose_heading_counts_against_its_option():
    """"Choose it for …" credits the option the pronoun stands for, and "Avoid it for …"
    debits it; an option that "avoids" something is not advised against."""
    from assistant.prose import prose_parts

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox"})
    text = ("Choose it for fan-out workloads across many hosts. Avoid it for small jobs and CI "
            "tests, where the 20-second start dominates. Gearbox avoids that start cost.")
    stances = [part[2] for part in prose_parts(text, options, "kestrel")]
    assert stances[:2] == [{"kestrel": 1.0}, {"kestrel": -1.0}]
    assert not any(value < 0 for value in stances[2].values())


def test_a_question_word_after_a_label_colon_opens_the_question():
    """"for a hiring deck: what share …" asks "what", as " - what share …" does."""
    from assistant.question import analyse

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox"})
    for text in ("for a hiring deck: what share of job ads mention kestrel vs gearbox?",
                 "for a hiring deck - what share of job ads mention kestrel vs gearbox?"):
        asked = analyse(text, options)
        assert asked.features["ask_wh"] == 1.0 and asked.kind == "fact"
    assert analyse("quick q: does gearbox retry failed jobs?", options).features["ask_yesno"] == 1.0


def test_a_hyphenated_name_the_documents_never_write_whole_is_unknown():
    """"ml-agents vs isaac gym" sets two things the documents never name against each other,
    although they use "ML" and "agents"; "multi-agent", which they write, is known."""
    from assistant.answerability import uncompared
    from assistant.lexical import BM25

    options = Options({"rllib": "RLlib", "cleanrl": "CleanRL"})
    texts = ["RLlib supports multi-agent training; the ML team runs many agents.",
             "CleanRL ships single-file PPO scripts."]
    lexical = BM25.build(texts)
    assert uncompared("unity ml-agents vs isaac gym, which is better?", lexical, options,
                      frozenset({"isaac", "unity", "gym"})) == ("ml-agents", None)
    assert uncompared("multi-agent vs single-agent setups: which lib?", lexical, options,
                      frozenset({"single"})) is None
    assert uncompared("single-agent or rllib for a robot arm?", lexical, options,
                      frozenset({"single"})) is None
    # two lower-case names joined by "or", neither written anywhere nor common English
    assert uncompared("faiss or scann for nearest neighbours, which is faster?", lexical,
                      options, frozenset({"nearest"})) == ("faiss", None)
    assert uncompared("polars or agents for our tables?", lexical, options,
                      frozenset()) is None  # "agents" is written: a wish, not two tools
    assert uncompared("run or walk?", lexical, options, frozenset({"run", "walk"})) is None


def test_an_elided_denial_denies_what_the_clause_before_said_of_the_others():
    """"Kestrel and Gearbox replayed runs exactly. Beanstalk did not once two workers ran.":
    Beanstalk's clause is read with what it denies, and the two it contrasts with did it."""
    from assistant.prose import prose_parts

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox", "beanstalk": "Beanstalk"})
    text = ("With fixed seeds, Kestrel and Gearbox replayed runs exactly. Beanstalk did not once "
            "two workers ran.")
    parts = {(text[a:b], subject, negated) for a, b, _, subject, negated in
             prose_parts(text, options, None)}
    first = "With fixed seeds, Kestrel and Gearbox replayed runs exactly."
    assert (first, "kestrel", False) in parts and (first, "gearbox", False) in parts
    assert (text, "beanstalk", True) in parts
    alone = "Beanstalk does not ship a UI."  # a denial with its own verb keeps its clause
    assert [(alone[a:b], subject, negated) for a, b, _, subject, negated in
            prose_parts(alone, options, None)] == [(alone, "beanstalk", True)]


def test_the_asking_sentence_sets_two_options_against_each_other_with_a_verb_between():
    """"we'd use Kestrel for plain jobs. should we bolt that onto Gearbox or go Beanstalk?" is a
    choice between Gearbox and Beanstalk; Kestrel is context."""
    from assistant.candidates import _narrowed

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox", "beanstalk": "Beanstalk"})
    pool = ["kestrel", "gearbox", "beanstalk"]
    for joined in ("or go", "or just use", "or switch to", "or"):
        question = f"we'd use Kestrel for plain jobs. should we bolt that onto Gearbox {joined} " \
                   "Beanstalk?"
        assert _narrowed(question, pool, options) == ["gearbox", "beanstalk"]
    assert _narrowed("Kestrel, Gearbox or go Beanstalk?", pool, options) == pool  # all three


def test_the_asking_sentence_lists_the_options_it_chooses_among():
    """"we're a Harbor shop … kestrel, gearbox or beanstalk?" chooses among the three it lists;
    Harbor, named before, is context."""
    from assistant.candidates import _narrowed

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox", "beanstalk": "Beanstalk",
                       "harbor": "Harbor"})
    pool = ["harbor", "kestrel", "gearbox", "beanstalk"]
    question = "we're a Harbor shop and want a queue that runs Harbor jobs: kestrel, gearbox " \
               "or beanstalk?"
    assert _narrowed(question, pool, options) == ["kestrel", "gearbox", "beanstalk"]
    assert _narrowed("kestrel, gearbox and beanstalk run Harbor jobs. which one?", pool,
                     options) == pool  # a list with no "or" sets nothing against anything


def test_what_someone_else_wants_is_no_criterion_of_the_question():
    """"new CTO read some blog that Gearbox won" is hearsay the user asks about, not a need."""
    from assistant.criteria import split

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox"})
    question = ("we're a bank, ~40 kestrel queues in prod behind the batch gateway, new CTO read "
                "some blog that gearbox won and wants to migrate everything. worth it or stay?")
    clauses = split(question, options)
    assert not any("CTO" in c or "blog" in c for c in clauses)
    assert any("batch gateway" in c for c in clauses)
    clauses = split("a colleague suggested gearbox, but we need priority lanes", options)
    assert len(clauses) == 1 and "priority lanes" in clauses[0]


def test_a_column_each_option_fills_with_its_own_value_sets_up_no_separate_comparison():
    """"Runtime | Precision | Load time (s)" with Q4 / INT4 / int8 down "Precision": the rows
    are still compared on load time (lower wins), not each alone in its own precision."""
    import json
    from types import SimpleNamespace

    from assistant.option_rows import transposed

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox", "beanstalk": "Beanstalk"})
    header = ["Runtime", "Precision", "Load time (s)"]
    rows = [["Kestrel", "Q4_K_M", "2.1"], ["Gearbox", "INT4", "6.8"], ["Beanstalk", "int8", "4.4"]]
    def table(name: str, rows: list) -> list:
        return [SimpleNamespace(id=f"{name}{i}", text=" | ".join(
                    f"{h}: {c}" for h, c in zip(header, r)),
                    metadata={"kind": "table_row", "table_id": name,
                              "table_header": json.dumps(header), "row_cells": json.dumps(r)})
                for i, r in enumerate(rows)]

    nodes = table("r", rows)
    parts = transposed(nodes, options)
    stance = parts["r0"][0][2]
    assert stance["kestrel"] > stance.get("beanstalk", 0.0) > stance.get("gearbox", 0.0)
    shared = [["Kestrel", "small jobs", "2.1"], ["Kestrel", "large jobs", "1.1"],
              ["Gearbox", "small jobs", "6.8"], ["Gearbox", "large jobs", "0.9"]]  # a set-up they share
    nodes = table("s", shared)
    parts = transposed(nodes, options)
    assert parts["s0"][0][2].get("kestrel", 0) > 0 and parts["s1"][0][2].get("gearbox", 0) > 0


def test_importance_compared_is_no_measure_compared():
    """"where time to first token matters more than decode speed" weighs two needs; it says
    nothing against the option its heading recommends."""
    from assistant.prose import prose_parts

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox"})
    text = "Long prompts, where time to first token matters more than decode speed."
    assert not any(part[2] for part in prose_parts(text, options, "kestrel"))
    text = "Kestrel's time to first token is higher than Gearbox's."
    assert prose_parts(text, options, None)[0][2] == {"kestrel": -1.0, "gearbox": 1.0}


def test_a_longer_name_that_goes_on_past_an_options_name_is_another_product():
    options = Options({"hailo-8": "Hailo-8", "coral edge tpu": "Coral Edge TPU"},
                      {"hailo": "hailo-8", "coral": "coral edge tpu", "tflite": "coral edge tpu"})
    assert options.mentions("did they test the Hailo-8L or the hailo-10h?") == []
    assert [o for *_, o in options.mentions("Hailo-8 vs coral, or a hailo-8-based box")] == \
        ["hailo-8", "coral edge tpu", "hailo-8"]


def test_power_draw_is_lower_better_and_each_option_is_taken_at_its_best_row():
    """Two rows of one board ("15 W mode", "25 W mode") are that board at its best on each
    measure, not whichever row came last."""
    from assistant.cues import direction
    from assistant.option_rows import _best_of_rows

    assert direction("Power draw (W, wall)") == direction("Power (W)") == -1
    assert direction("W&B runs") == direction("computing power") == 0
    latency = [("jetson", "9.8"), ("jetson", "13.6"), ("hailo", "12.4"), ("coral", "41.0")]
    assert max(_best_of_rows(latency, -1).items(), key=lambda kv: kv[1])[0] == "jetson"
    power = [("jetson", "21.4"), ("jetson", "14.8"), ("hailo", "16.9"), ("coral", "11.2")]
    assert max(_best_of_rows(power, -1).items(), key=lambda kv: kv[1])[0] == "coral"
    assert "coral" not in _best_of_rows([("coral", "OOM"), ("hailo", "3")], 1)


def test_a_clause_answered_by_but_is_conceded():
    """"X costs more than Y, but it meets the target": the writer's point is after "but"."""
    from assistant.prose import prose_parts

    options = Options({"kiln": "Kiln", "smelt": "Smelt"})
    text = ("Kiln costs more than Smelt (USD 414 vs 235), but it meets the accuracy target "
            "and is supported.")
    stances = [part[2] for part in prose_parts(text, options, None)]
    assert stances[0] == {} and stances[1].get("kiln", 0) > 0, stances
    # without "but" the cost clause keeps its say
    text = "Kiln costs more than Smelt (USD 414 vs 235). It meets the accuracy target."
    assert prose_parts(text, options, None)[0][2].get("smelt", 0) > 0


def test_a_superlative_is_read_in_the_direction_of_its_measure_and_of_the_question():
    """"the highest throughput … the lowest cost per stream" favours its option at indexing;
    "Coral has the lowest wall power" (a measure of no known direction) favours Coral only for
    a question that asks for the least power, and counts against it for one asking the most."""
    import json

    from assistant.prose import prose_parts
    from assistant.votes import passage_scores, way

    options = Options({"hailo-8": "Hailo-8", "coral": "Coral"})
    text = "Hailo-8 has the highest throughput, the most streams and the lowest cost per stream."
    assert prose_parts(text, options, None)[0][2]["hailo-8"] > 0
    assert prose_parts("Coral has the highest p99 latency.", options, None)[0][2]["coral"] < 0
    assert way("which one draws the least power?") == -1 and way("most tok/s?") == 1
    assert way("more or less the same?") == 0

    class Passage:  # one evidence passage as the verdict reads it
        text = "Coral has the lowest wall power."
        meta = {"stance": json.dumps([[0, 31, {}, "coral", False]]), "heading_stance": "{}"}
        passage = None

    Passage.passage = Passage
    weighted = {"power": 2.5, "wall": 3.0, "draw": 3.4}
    pool = ["hailo-8", "coral"]
    least = passage_scores(Passage, weighted, pool, asked=-1)["coral"]
    most = passage_scores(Passage, weighted, pool, asked=1)["coral"]
    neither = passage_scores(Passage, weighted, pool)["coral"]
    assert least > neither > most


def test_a_size_or_chip_the_best_passages_replace_with_a_sibling_is_not_answered():
    """"70B" where the best passages measured 7B and 34B, "H100" where they say A100: they
    measured something else. A name they write, a count ("50M", "3x") and the user's own
    setup are no such case; a passing mention in a far less relevant passage does not count."""
    from types import SimpleNamespace

    from assistant.unwritten import elsewhere

    def passages(*texts, relevance=(1.0,) * 5):
        return [SimpleNamespace(passage=SimpleNamespace(text=t), relevance=r, meta={})
                for t, r in zip(texts, relevance)]

    bench = passages("Peak memory per GPU (GB): Llama-7B 31 | Llama-34B 74", "FSDP full_shard.",
                     "Throughput on 8×A100 80GB: 3,150 tokens/s.")
    assert elsewhere("what was peak memory for a 70B with fsdp?", bench) == ("70B", None, "7B")
    assert elsewhere("tokens/s on 8xH100 then?", bench)[::2] == ("H100", "A100")
    assert elsewhere("peak memory for the 34B?", bench) is None
    assert elsewhere("and throughput on the A100s?", bench) is None
    assert elsewhere("how big at 50M vectors? 3x more?", passages("1M vectors: 3.2 GB")) is None
    assert elsewhere("we run H100s. is fsdp fine?", bench) is None
    # a duration or a name whose letters fall elsewhere is no sibling ("15s", "S3" beside "10s")
    timing = passages("Pods became ready in 10s; shards are read from gcs.", "p50 12 ms")
    assert elsewhere("our pods take 15s, is that normal?", timing) is None
    assert elsewhere("what throughput from S3?", timing) is None
    # a name the fourth or fifth passage writes is not missing
    assert elsewhere("A100 memory?", passages("H100: 80 GB", "x", "y", "A100: 40 GB")) is None
    # a passage far less relevant than the best only mentions the name in passing
    rows = ("ResNet-50 (A100, FP16): ~1,050 img/s", "Deploy on H100, H200, A100 and RTX 4090.")
    assert elsewhere("resnet-50 img/s on an h100?", passages(*rows, relevance=(1.0, 0.1)))[::2] \
        == ("h100", "A100")
    assert elsewhere("resnet-50 img/s on an h100?", passages(*rows, relevance=(1.0, 0.6))) is None
    # a sibling beyond the third passage is not what the best evidence says
    assert elsewhere("70B memory?", passages("FSDP.", "ZeRO-3.", "Megatron.", "Llama-7B 31")) \
        is None


def test_a_header_clipped_with_a_dot_is_the_option_it_spells_out():
    """"HF Tok." heading one table's column and "HF Tokenizers" another's are one option; a
    clipped name that could spell out two options stays apart."""
    from assistant.spellings import merge_spellings

    options = Options({"hf tok.": "HF Tok.", "hf tokenizers": "HF Tokenizers",
                       "sentencepiece": "SentencePiece", "tiktoken": "tiktoken"})
    places = {k: {"notes.txt"} for k in options.display}
    assert merge_spellings(options, places, set()) == {"hf tok.": "hf tokenizers"}
    assert "hf tok." not in options.display and "hf tokenizers" in options.display
    two = Options({"hf t.": "HF T.", "hf tokenizers": "HF Tokenizers", "hf trainer": "HF Trainer"})
    assert merge_spellings(two, {k: {"a.md"} for k in two.display}, set()) == {}


def test_an_option_the_user_already_runs_is_context_for_tools_that_work_on_it():
    """"debugging a Harbor pipeline … which queue?": Harbor is what the user has, and the
    queues' document writes of Harbor (they run on it), so the choice is among the queues;
    "Harbor has retries too right? which one?" asks about Harbor itself."""
    from types import SimpleNamespace

    from assistant.candidates import _layered

    options = Options({"harbor": "Harbor", "dock": "Dock", "kestrel": "Kestrel",
                       "gearbox": "Gearbox"})
    options.compared = {"frameworks.md": ["harbor", "dock"], "queues.md": ["kestrel", "gearbox"]}

    def passage(source, text):
        return SimpleNamespace(meta={"source": source}, passage=SimpleNamespace(text=text))

    evidence = [passage("frameworks.md", "Harbor pipelines are easy to debug."),
                passage("queues.md", "Kestrel runs Harbor jobs natively; Gearbox needs a shim.")]
    for question in ("debugging a Harbor pipeline, jobs keep stalling. which queue?",
                     "we already run Harbor. which queue should we add?"):
        assert _layered(["harbor"], question, evidence, options) == \
            ["kestrel", "gearbox"], question
    assert _layered(["harbor"], "Harbor has retries too right? which one should i use", evidence,
                    options) is None
    # both of a document's options, each what the user runs, are context too
    options.display["dock"] = "Dock"
    assert _layered(["dock", "harbor"], "our legacy pipelines are Dock and the new ones are in "
                    "Harbor. we'd like one queue for both. which one?", evidence, options) == \
        ["kestrel", "gearbox"]
    assert _layered(["harbor"], "debugging a Harbor pipeline. which queue?", evidence[:1],
                    options) is None  # the queues' passages never write of Harbor


def test_an_option_set_up_before_the_question_is_context_but_not_one_named_after_it():
    """"we went Harbor … same logic for the message queue?" asks among the queues; in "which
    one starts up fastest? Kestrel felt sluggish" Kestrel is one of the options asked about."""
    from types import SimpleNamespace

    from assistant.candidates import _asked_group

    options = Options({"harbor": "Harbor", "dock": "Dock", "kestrel": "Kestrel",
                       "gearbox": "Gearbox"})
    options.compared = {"frameworks.md": ["harbor", "dock"], "queues.md": ["kestrel", "gearbox"]}

    def passage(source, cosines):
        return SimpleNamespace(meta={"source": source},
                               passage=SimpleNamespace(sentence_cosines=cosines))

    before = "we went Harbor since small teams ship faster. same logic for the message queue?"
    evidence = [passage("frameworks.md", [0.6, 0.2]), passage("queues.md", [0.1, 0.5])]
    assert _asked_group(["harbor"], evidence, options, before) == ["kestrel", "gearbox"]
    after = "for quick local iteration which one starts up fastest? Kestrel felt sluggish to me"
    evidence = [passage("queues.md", [0.35, 0.5]), passage("frameworks.md", [0.4, 0.1])]
    assert _asked_group(["kestrel"], evidence, options, after) is None


def test_asking_whether_a_move_is_worth_it_is_no_doubt_that_the_choice_matters():
    """"worth it or stay put?" asks which way to go (most often: stay); "doesn't really
    matter which?" doubts that the choice matters at all."""
    from assistant.question import analyse

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox"})
    for question in ("mgmt wants to rewrite all of it in kestrel. worth it or stay put?",
                     "is it worth migrating our gearbox jobs to kestrel?",
                     "build time really doesnt matter to us. kestrel or gearbox?"):
        assert analyse(question, options).doubt == 0.0, question
    for question in ("is it worth going kestrel for perf or doesnt really matter which queue?",
                     "does it even matter, kestrel or gearbox?"):
        assert analyse(question, options).doubt == 1.0, question


def test_asking_when_a_release_comes_out_is_news_about_releases():
    """"when is X 3.0 coming out?", "when does X go GA?": the recency question type, which
    comparison documents rarely answer; "when should we release the model?" is not."""
    from assistant.answerability import _TYPES

    for question in ("any idea when captum 0.8 is released and what's new in it?",
                     "when is kestrel 3.0 coming out?", "when does gearbox go GA?",
                     "what's the release date of kestrel 1.0?"):
        assert _TYPES["recency"].search(question), question
    assert not _TYPES["recency"].search("when should we release the model?")


def test_an_alias_in_capitals_is_no_mention_inside_a_word_in_capitals():
    """"TR" (TorchRec's initials) names nothing in the heading "TRADE-OFFS AND CAVEATS", so
    the heading's drawbacks are no one option's; "TFLite" and "TFX" still name TF."""
    options = Options({"torchrec": "TorchRec", "tensorflow": "TensorFlow"},
                      {"tr": "torchrec", "tf": "tensorflow"})
    assert options.mentions("TRADE-OFFS AND CAVEATS") == []
    assert [o for _, _, o in options.mentions("TFLite models and TFX pipelines on TR")] == \
        ["tensorflow", "tensorflow", "torchrec"]


def test_ties_in_other_words_and_a_lack_of_both_are_read():
    """"both fine choices", "treat the two as equal", "within run-to-run noise" are ties;
    "Neither B nor C can use a GPU" is a lack of each (and a tie between the two)."""
    from assistant.prose import prose_parts

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox", "beanstalk": "Beanstalk"})
    for text in ("Kestrel and Gearbox are both fine choices for that.",
                 "The gap is within run-to-run noise, so we treat the two as equal on quality."):
        stances = [stance for _, _, stance, *_ in prose_parts(text, options, None)]
        assert any(stance.get("either", 0) > 0 for stance in stances), text
    lack = [stance for _, _, stance, *_ in
            prose_parts("Neither Gearbox nor Beanstalk can use a GPU.", options, None)]
    assert lack == [{"gearbox": -1.0, "beanstalk": -1.0, "either": 1.5}]


def test_a_tie_between_other_options_says_nothing_of_the_choice():
    """"Qdrant and Weaviate are indistinguishable" is no tie between pgvector and Qdrant."""
    from assistant.votes import _tie_of_others

    options = Options({"qdrant": "Qdrant", "weaviate": "Weaviate", "pgvector": "pgvector"})
    tie = "Hybrid quality of Qdrant and Weaviate is indistinguishable"
    assert _tie_of_others(tie, ["pgvector", "qdrant"], options)
    assert not _tie_of_others(tie, ["weaviate", "qdrant"], options)
    assert not _tie_of_others("Both are indistinguishable", ["pgvector", "qdrant"], options)


def test_a_hedge_on_the_asked_feature_does_not_count_against_the_only_option_with_it():
    """"FP8 (experimental)" in one option's cell, none in the other's: for "which supports
    fp8?" the hedge qualifies a feature only that option has."""
    import json

    from assistant.features import hedged as _hedged

    meta = {"option_columns": json.dumps({"1": "kestrel", "2": "gearbox"}),
            "row_cells": json.dumps(["Formats", "FP16, BF16, FP8 (experimental)", "FP16, BF16"])}
    assert _hedged(meta, {"fp8": 4.0}, {"kestrel": 0.9}) == {"kestrel"}
    assert _hedged(meta, {"bf16": 4.0}, {"kestrel": 0.9}) == set()  # the hedge is on FP8
    assert _hedged(meta, {"fp8": 4.0}, {}) == set()  # no option alone has what was asked


def test_a_feature_row_the_question_asks_about_counts_double():
    """"which lib supports integrated gradients for keras?": the rows "Integrated Gradients"
    and "TensorFlow/Keras models" are about what was asked; "GPU acceleration" is not."""
    import json
    from types import SimpleNamespace

    import pytest

    from assistant.votes import passage_scores

    def row(label, cells):
        return SimpleNamespace(meta={
            "kind": "table_row", "row_cells": json.dumps([label, *cells]),
            "table_header": json.dumps(["Capability", "Kestrel", "Gearbox"]),
            "option_columns": json.dumps({"1": "kestrel", "2": "gearbox"}),
            "stance": json.dumps([[0, -1, {"kestrel": 0.5, "gearbox": -1.0}, None]]),
            "heading_stance": "{}"},
            passage=SimpleNamespace(text=f"Capability: {label} | Kestrel: Yes | Gearbox: No"))
    weighted = {"integr": 3.0, "gradient": 3.0, "integratedgradi": 5.0, "kera": 4.0}
    asked = passage_scores(row("Integrated Gradients", ["Yes", "No"]), weighted,
                           ["kestrel", "gearbox"])
    other = passage_scores(row("GPU acceleration", ["Yes", "No"]), weighted,
                           ["kestrel", "gearbox"])
    assert asked["kestrel"] == pytest.approx(2 * other["kestrel"])
    assert asked["gearbox"] == pytest.approx(2 * other["gearbox"])


def test_a_row_whose_label_the_question_mostly_holds_is_asked_about():
    """"which compiles faster before the first step?" asks about the row "Compile time (first
    step)" (most of its terms, word pairs included, are the question's); "Data Loading" shares
    only a word with "load the model" and is not asked about."""
    import json

    from assistant.lexical import term_set
    from assistant.votes import _row_asked

    def asked(label, question):
        meta = {"kind": "table_row", "row_cells": json.dumps([label, "1.0", "2.0"])}
        return _row_asked(meta, dict.fromkeys(term_set(question), 1.0), frozenset())

    assert asked("Compile time (first step)", "which compiles faster before the first step?")
    assert asked("Integrated Gradients", "which lib supports integrated gradients for keras?")
    assert not asked("Data Loading", "how long does it take to load the model?")
    assert not asked("GPU acceleration", "which lib supports integrated gradients?")


def test_a_comparison_whose_subject_is_unknown_debits_what_it_beats():
    """"… The app builder won over our stakeholders. At $36 it is slightly cheaper than
    Gearbox.": "it" is no longer known (a sentence about the app builder came between), but
    Gearbox is what was beaten: it is debited, not credited."""
    from assistant.prose import prose_parts

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox"})
    text = ("Kestrel is what we rolled out. The app builder won over our stakeholders. At $36 "
            "per editor it is slightly cheaper than Gearbox.")
    stance = {o: v for part in prose_parts(text, options, None) for o, v in part[2].items()}
    assert stance.get("gearbox", 0.0) < 0, stance
