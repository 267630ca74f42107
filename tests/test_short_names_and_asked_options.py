"""Option names as users shorten them and the options a question asks about: a word only an
option's own document uses alone, initials, clipped and hyphenated names, names the documents
never write, the options the asking sentence sets against each other, and options that are
only context. Pure functions over small made-up documents: no index needed."""
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


def test_a_longer_name_that_goes_on_past_an_options_name_is_another_product():
    options = Options({"hailo-8": "Hailo-8", "coral edge tpu": "Coral Edge TPU"},
                      {"hailo": "hailo-8", "coral": "coral edge tpu", "tflite": "coral edge tpu"})
    assert options.mentions("did they test the Hailo-8L or the hailo-10h?") == []
    assert [o for *_, o in options.mentions("Hailo-8 vs coral, or a hailo-8-based box")] == \
        ["hailo-8", "coral edge tpu", "hailo-8"]


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


def test_an_alias_in_capitals_is_no_mention_inside_a_word_in_capitals():
    """"TR" (TorchRec's initials) names nothing in the heading "TRADE-OFFS AND CAVEATS", so
    the heading's drawbacks are no one option's; "TFLite" and "TFX" still name TF."""
    options = Options({"torchrec": "TorchRec", "tensorflow": "TensorFlow"},
                      {"tr": "torchrec", "tf": "tensorflow"})
    assert options.mentions("TRADE-OFFS AND CAVEATS") == []
    assert [o for _, _, o in options.mentions("TFLite models and TFX pipelines on TR")] == \
        ["tensorflow", "tensorflow", "torchrec"]


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


def test_a_question_word_after_a_label_colon_opens_the_question():
    """"for a hiring deck: what share …" asks "what", as " - what share …" does."""
    from assistant.question import analyse

    options = Options({"kestrel": "Kestrel", "gearbox": "Gearbox"})
    for text in ("for a hiring deck: what share of job ads mention kestrel vs gearbox?",
                 "for a hiring deck - what share of job ads mention kestrel vs gearbox?"):
        asked = analyse(text, options)
        assert asked.features["ask_wh"] == 1.0 and asked.kind == "fact"
    assert analyse("quick q: does gearbox retry failed jobs?", options).features["ask_yesno"] == 1.0


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
