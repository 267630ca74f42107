"""How prose and questions are read, with no advisor built: the subject a clause carries, lists,
disjunctions, prohibitions, conditions, comparatives and superlatives, numbers in prose in their
unit's direction, two of three options compared between themselves, and words the corpus
writes otherwise (numeronyms, two words written as one)."""
from __future__ import annotations


def test_lists_disjunctions_glued_versions_and_cell_parts_are_read_generally():
    from assistant.options import Options
    from assistant.cues import find_cues
    from assistant.prose import prose_parts
    from assistant.features import feature_presence, feature_terms
    from assistant.lexical import term_set

    options = Options({"deepspeed": "DeepSpeed", "pytorch fsdp": "PyTorch FSDP",
                       "megatron-lm": "Megatron-LM", "tensorflow": "TensorFlow"},
                      {"fsdp": "pytorch fsdp", "tf": "tensorflow"})
    # "either ... or" joins two actions: no tie; "either X or Y" and "either works" still are
    assert find_cues("Every other tool either builds on them, or was absorbed.") == []
    assert [c for *_, c in find_cues("Use either DeepSpeed or FSDP.")] == ["either"]
    # an enumeration of the options compared is not a recommendation of any of them
    listed = prose_parts("We compared three stacks: DeepSpeed, PyTorch FSDP, and Megatron-LM.",
                         options, None)
    assert not any(stance for _, _, stance, *_ in listed)
    offered = prose_parts("Small models: DeepSpeed or FSDP, not Megatron-LM.", options, None)
    assert offered[-1][2] == {"deepspeed": 0.5, "pytorch fsdp": 0.5, "megatron-lm": -1.0}
    # a name glued to its version is the name plus the version; other words are untouched
    assert options.spaced_versions("is TF2 still graph-first? and tf2.x, H100, fp8") == \
        "is TF 2 still graph-first? and tf 2.x, H100, fp8"
    # a number in the question is a quantity, not a feature a cell can hold
    assert "30" not in feature_terms("~30%", options)
    # a denial in another part of the cell ("None; ...") does not deny the found term
    meta = {"option_columns": '{"1": "deepspeed", "2": "pytorch fsdp", "3": "megatron-lm"}',
            "row_cells": '["Build step", "None; loads checkpoints directly", "Engine build", '
                         '"Not supported (checkpoints must be converted)"]',
            "table_header": '["Feature", "DeepSpeed", "PyTorch FSDP", "Megatron-LM"]'}
    weighted = {t: 1.0 for t in term_set("serve my checkpoints as-is")}
    scores = feature_presence(meta, weighted, ["deepspeed", "pytorch fsdp", "megatron-lm"])
    assert scores["deepspeed"] > 0 > scores["megatron-lm"]


def test_two_of_three_options_are_compared_between_themselves_only():
    import json
    from assistant.options import Options
    from assistant.prose import prose_parts
    from assistant.question import analyse
    from assistant.tables import among, row_numbers

    options = Options({"jax": "JAX", "tensorflow": "TensorFlow", "pytorch": "PyTorch"})
    header = ["Model", "JAX (ms/step)", "TensorFlow (ms/step)", "PyTorch (ms/step)"]
    numbers = row_numbers(header, ["Small CNN", "11", "9", "17"], options, "")
    assert numbers == {"jax": -11.0, "tensorflow": -9.0, "pytorch": -17.0}  # lower is better
    meta = {"row_numbers": json.dumps(numbers)}
    change = among(meta, ["jax", "tensorflow"])  # JAX's win over PyTorch is not asked about
    assert change["jax"] < 0 and "pytorch" not in change and change.get("tensorflow", 0) >= 0
    assert among(meta, ["jax", "tensorflow", "pytorch"]) == {}
    compile_row = row_numbers(["Aspect", "JAX", "TensorFlow", "PyTorch"],
                              ["Compile time", "about 95 s", "about 60 s", "Near zero"], options, "")
    assert compile_row == {"jax": -95.0, "tensorflow": -60.0, "pytorch": -0.0}
    only_tf = {"row_numbers": json.dumps({"jax": -95.0, "tensorflow": -60.0})}
    assert among(only_tf, ["tensorflow", "pytorch"])["tensorflow"] < 0  # its win was over JAX
    # a list of the options carries none of them on to the next clause's "pick"
    parts = prose_parts("Keras runs on three backends: JAX, TensorFlow and PyTorch. You pick one "
                        "by setting an environment variable.", options, None)
    assert not any(stance for _, _, stance, *_ in parts)
    assert analyse("planning to run keras on TPUs. which backend?", options).kind == "choice"
    assert analyse("which backends does keras list?", options).kind == "fact"
    assert analyse("we export to SavedModel at the end. keras backend to train on?",
                   options).kind == "choice"
    assert analyse("is the TensorFlow backend a reasonable pick over jax for a UNet?",
                   options).kind == "choice"
    assert analyse("our UNet trains in under an hour on one GPU. where should it run?",
                   options).kind == "choice"


def test_a_document_comparing_other_options_ranks_below_one_comparing_the_named():
    from assistant.evidence import topic_match
    from assistant.options import Options
    from assistant.prose import prose_parts
    from assistant.retrieve import Passage
    from assistant.store import Node

    options = Options({"pytorch": "PyTorch", "tensorflow": "TensorFlow", "triton": "Triton",
                       "bentoml": "BentoML"},
                      compared={"a.md": ["pytorch", "tensorflow"], "s.html": ["bentoml", "triton"]})

    def passage(source):
        return Passage(Node("x", "faster", {"source": source}), 1.0, 0.5, 0.5, 1.0)

    named = ["pytorch", "tensorflow"]
    assert topic_match(passage("a.md"), named, options) == 1.0
    assert topic_match(passage("s.html"), named, options) == 0.0
    assert topic_match(passage("s.html"), [], options) == 1.0  # nothing named: no judgement
    # "Avoid when:" under "When to choose BentoML" speaks against BentoML
    parts = prose_parts("Avoid when: the endpoint is GPU-bound at high QPS.", options, "bentoml")
    assert parts[0][2].get("bentoml", 0) < 0


def test_prices_by_currency_sign_rates_of_sizes_and_error_rates_have_a_direction():
    from assistant.cues import direction
    from assistant.options import Options
    from assistant.prose import prose_parts

    assert direction("Egress ($/TB)") == direction("Storage ($/TB-month)") == -1
    assert direction("Read throughput (GB/s)") == 1 and direction("Memory (GB)") == -1
    assert direction("WER") == -1 and direction("Model providers supported") == 0
    options = Options({"gamma": "Gamma", "delta": "Delta"})
    assert prose_parts("Gamma made the fewest errors.", options, None)[0][2] == {"gamma": 0.5}
    assert prose_parts("Delta is the least mature.", options, None)[0][2] == {"delta": -1.0}


def test_prohibitions_denied_pronouns_heading_short_names_and_superlative_asks():
    import json
    from assistant.discovery import discover
    from assistant.options import Options
    from assistant.prose import prose_parts
    from assistant.question import analyse
    from assistant.store import Node

    options = Options({"ray data": "Ray Data", "apache spark": "Apache Spark", "dask": "Dask"},
                      {"spark": "apache spark"})
    text = ("Do not use Ray Data for large shuffle-heavy joins; it came last. It is also not a "
            "good choice if you need to write Delta Lake tables. Avoid Dask for nightly jobs.")
    parts = prose_parts(text, options, None)
    by_clause = {text[a:b]: (stance, denied) for a, b, stance, _, denied in parts}
    assert by_clause["Do not use Ray Data for large shuffle-heavy joins"] == \
        ({"ray data": -1.0}, True)  # a prohibition advises against, and denies the clause
    assert by_clause["it came last."][0]["ray data"] < 0
    assert by_clause["It is also not a good choice if you need to write Delta Lake tables."][1]
    assert by_clause["Avoid Dask for nightly jobs."] == ({"dask": -1.0}, True)
    # a prohibition with any verb cautions against the one option its clause names
    text = "Caution: do not run large joins on Dask yet. Never mix Dask and Spark jobs."
    stances = [p[2] for p in prose_parts(text, options, None)]
    assert stances[0] == {"dask": -1.0} and not any(stances[1:])  # two named: no one side
    assert prose_parts("Use Dask for ad-hoc jobs.", options, None)[0][2:] == \
        [{"dask": 1.0}, "dask", False]
    # a label's recommendation with its reason in parentheses still recommends
    assert prose_parts("GPU stages: Ray Data (87% utilisation, half the time).", options,
                       None)[-1][2] == {"ray data": 1.0}
    # "the least code changes": a cell holding "code" counts against its option
    from assistant.question import unwanted_terms
    assert "code" in unwanted_terms("i want the least code changes possible")
    # doing it oneself is the effort to avoid: the thing itself is wanted built in
    assert not unwanted_terms("want built in VAD so i dont have to wire up silero myself")
    assert "silero" in unwanted_terms("we can't ship silero in the image")
    # "When to choose Spark" beside an "Apache Spark" column: "spark" names that option
    header = ["Metric", "Ray Data", "Apache Spark", "Dask"]
    title = "Preprocessing engines: Ray Data vs Apache Spark vs Dask"
    nodes = [Node(f"r{i}", " | ".join(r), {
        "kind": "table_row", "title": title, "source": "e.md", "table_id": "t",
        "table_header": json.dumps(header), "row_cells": json.dumps(r), "heading_path": "Results"})
        for i, r in enumerate([["Cost ($)", "23", "14", "21"], ["Start (s)", "9", "30", "3"]])]
    nodes += [Node(f"h{i}", f"Pick {name} when it fits.", {
        "kind": "text", "title": title, "source": "e.md",
        "heading_path": f"When to choose {name}"}) for i, name in enumerate(["Spark", "Dask"])]
    found = discover(nodes)
    assert found.aliases.get("spark") == "apache spark"
    assert found.named("dask or spark for the nightly join?") == ["dask", "apache spark"]
    # options listed with slashes are each named; a path's segments are not
    assert found.named("of ray data/spark/dask which one?") == ["ray data", "apache spark", "dask"]
    assert found.named("see github.com/dask/dask for the code") == []
    # a plain word before the slash lists too ("mlc/tvm"): it is no path
    assert found.named("pandas/dask or spark for the join?") == ["dask", "apache spark"]
    # "which one was cheapest" asks for a choice; "which one came out first" for a fact
    assert analyse("which engine came out cheapest per run?", found).kind == "choice"
    assert analyse("which one came out first?", found).kind == "fact"
    # a fragment that opens with a superlative asks for the option; "honest q, …" does not
    assert analyse("cheapest at prod scale?", found).kind == "choice"
    assert analyse("honest q, is dask dead?", found).kind == "fact"


def test_the_subject_before_the_verb_is_carried_to_the_next_clause():
    from assistant.options import Options
    from assistant.prose import prose_parts

    options = Options({"jax": "JAX", "pytorch": "PyTorch"})
    text = ("On NVIDIA GPUs PyTorch matches JAX on speed, and its eager debugging makes it the "
            "better choice for most product teams.")
    last = prose_parts(text, options, None)[-1]
    assert last[2] == {"pytorch": 1.5} and last[3] == "pytorch"
    # a fronted condition labels the option that follows it
    parts = prose_parts("On TPUs, JAX. On anything else, PyTorch, because it is simpler.",
                        options, None)
    assert [p[2] for p in parts] == [{"jax": 1.0}, {"pytorch": 1.0}]


def test_it_keeps_the_subject_and_an_object_mention_does_not_take_it():
    from assistant.options import Options
    from assistant.prose import prose_parts

    options = Options({"deepspeed": "DeepSpeed", "pytorch fsdp": "PyTorch FSDP",
                       "megatron-lm": "Megatron-LM", "pytorch": "PyTorch"},
                      {"fsdp": "pytorch fsdp"})
    shipped = prose_parts("Start with FSDP. It ships with PyTorch, so nothing extra to pin.",
                          options, None)
    assert shipped[1][3] == "pytorch fsdp"  # "It", not the PyTorch it ships with
    text = ("Megatron-LM is the fastest stack we measured: 44% MFU against 33% for FSDP. "
            "Its pipeline parallelism is mature.")
    last = prose_parts(text, options, None)[-1]
    assert last[2] == {"megatron-lm": 1.0} and last[3] == "megatron-lm"
    slower = prose_parts("DeepSpeed is simple. It is slower than Megatron-LM.", options, None)
    assert slower[-1][2] == {"deepspeed": -1.0, "megatron-lm": 1.0}


def test_names_are_whole_words_and_a_list_member_carries_no_subject():
    from assistant.options import Options
    from assistant.prose import prose_parts

    options = Options({"tensorflow": "TensorFlow", "tensorrt": "TensorRT", "pytorch": "PyTorch"},
                      {"lite": "tensorflow", "trt": "tensorrt", "keras": "tensorflow"})
    # an alias is no prefix of a longer word ("lite" in "literally"); a capital still ends it
    assert options.named("latency is literally our SLO. TRT?") == ["tensorrt"]
    assert options.named("PyTorchMobile or TensorRT?") == ["pytorch", "tensorrt"]
    text = ("Every other framework, JAX, Keras, and MXNet, either builds on top of them, "
            "competes for a niche, or has faded into irrelevance.")
    assert not any(stance for _, _, stance, *_ in prose_parts(text, options, None))
    weakest = prose_parts("TorchServe is easy. TensorRT's p99 was the weakest of the three; it "
                          "does not support CPUs.", options, None)
    # a name after a capitalised word and a comma is no list member unless a list goes on
    fleet = prose_parts("If the fleet is NVIDIA-only, TensorRT is the clear choice. In our tests "
                        "it was faster than ONNX Runtime.", options, None)
    assert fleet[-1][2]["tensorrt"] > 0 and fleet[-1][3] == "tensorrt"
    noun = prose_parts("Support for new models arrives later in TensorRT.", options, None)
    assert not any(stance.get("tensorrt", 0) > 0 for _, _, stance, *_ in noun)
    assert all(v < 0 for _, _, stance, *_ in weakest for v in stance.values()) and weakest


def test_lower_case_names_comparatives_and_pronoun_subjects_are_read():
    import json
    from assistant.discovery import discover
    from assistant.options import Options
    from assistant.prose import prose_parts
    from assistant.store import Node

    # a lower-case product name in a title and a table header is an option
    title = "FAISS vs hnswlib vs ScaNN: picking a library"
    header = ["Metric", "FAISS", "hnswlib", "ScaNN"]
    nodes = [Node("r", "p99 | 4.1 | 1.8 | 2.6", {
        "kind": "table_row", "title": title, "source": "v.md", "table_id": "t",
        "table_header": json.dumps(header), "row_cells": json.dumps(["p99 (ms)", "4.1", "1.8",
                                                                     "2.6"]),
        "heading_path": title})]
    nodes.append(Node("p", "We use hnswlib and FAISS.", {"kind": "text", "title": title,
                                                        "source": "v.md",
                                                        "heading_path": "When to choose hnswlib"}))
    assert "hnswlib" in discover(nodes).display
    options = Options({"faiss": "FAISS", "hnswlib": "hnswlib", "scann": "ScaNN",
                       "triton": "Triton", "bentoml": "BentoML"})
    # "higher than" read in the direction of the quantity before it (latency: lower wins)
    p99 = prose_parts("ScaNN is quick. Its p99 latency is higher than hnswlib's.", options, None)
    assert p99[-1][2] == {"scann": -1.0, "hnswlib": 1.0}
    assert prose_parts("ScaNN returns more results than FAISS.", options, None) == []
    # "... it trailed Triton. Its gRPC support is limited": both are about BentoML
    text = ("BentoML is simple; under load it trailed Triton by 30%. Its gRPC support is "
            "limited.")
    assert all(part[3] == "bentoml" for part in prose_parts(text, options, None))


def test_less_no_and_a_new_sentence_subject_are_read():
    from assistant.options import Options
    from assistant.prose import prose_parts

    options = Options({"aim": "Aim", "mlflow": "MLflow", "weights & biases": "Weights & Biases"})
    # "less mature than" counts against its subject, for the option after "than"
    assert prose_parts("Aim is less mature than MLflow.", options, None)[0][2] == \
        {"aim": -1.0, "mlflow": 1.0}
    # a label over a list of absences: each "No …" item counts against the label's option
    parts = prose_parts("Aim\n- No SSO and no RBAC at all.\n- No model registry.", options, None)
    assert [p[2] for p in parts] == [{"aim": -0.8}, {"aim": -0.8}]
    # a sentence with its own subject ("The workload …") does not carry the option before it
    text = ("Weights & Biases was the SaaS offering. The workload logged 40 scalars per step. "
            "It was slower under load.")
    assert [p[3] for p in prose_parts(text, options, None)] == ["weights & biases"]
    # general evaluative adjectives of weight, cost and accuracy take a side
    assert prose_parts("Aim has the lightest footprint: one pip package.", options,
                       None)[0][2] == {"aim": 1.0}
    assert prose_parts("MLflow is the most expensive to host.", options, None)[0][2] == \
        {"mlflow": -1.0}


def test_an_imperative_after_a_fronted_condition_recommends_its_object():
    """"If …, use X" recommends X, also when the condition holds a list with commas."""
    from assistant.options import Options
    from assistant.prose import prose_parts

    options = Options({"aim": "Aim", "mlflow": "MLflow", "weights & biases": "Weights & Biases"})
    text = ("If your models ship through our serving stack, use the shared MLflow server; that "
            "is our default. If you are two people prototyping, start with Aim and migrate "
            "later.")
    assert [p[2] for p in prose_parts(text, options, None)] == [
        {"mlflow": 1.0}, {"mlflow": 1.0}, {"aim": 1.0}]
    assert prose_parts("Just use it with MLflow.", options, None)[0][2] == {}
    # "If it runs on A, B or C, use X": the fronted condition holds commas of its own; the
    # pronoun in it does not carry the previous sentence's option onto X's recommendation
    text = ("If the team is on one laptop and nothing else, use Aim. If it is going to run on "
            "shared clusters, laptops or the cloud, use MLflow. Reach for Weights & Biases when "
            "neither covers sweeps well.")
    assert [p[2] for p in prose_parts(text, options, None)] == [
        {"aim": 1.0}, {"mlflow": 1.0}, {"weights & biases": 1.0}]


def test_numbers_prose_gives_each_option_are_compared_in_their_unit_direction():
    from assistant.options import Options
    from assistant.prose import prose_parts
    from assistant.stance import measures, prose_numbers

    options = Options({"jax": "JAX", "tensorflow": "TensorFlow", "pytorch": "PyTorch"})
    text = ("JAX compiles the step first, and for Gemma 2B that took about 95 seconds. "
            "TensorFlow took about 60 seconds for the same model. PyTorch starts at once.")
    # seconds: lower wins; "2B" has no direction; the carried subject owns the second clause
    assert prose_numbers(text, prose_parts(text, options, None)) == {"tensorflow": 1.0}
    # two numbers in one clause cannot be told apart: no stance from them
    text = "JAX needed 212 ms per step against 331 ms on PyTorch."
    assert len(measures(text)) == 2 and prose_numbers(text, prose_parts(text, options, None)) == {}
    # throughput: higher wins
    text = "JAX reached 900 samples/s. PyTorch reached 700 samples/s."
    assert prose_numbers(text, prose_parts(text, options, None)) == {"jax": 1.0}


def test_a_passage_opening_with_a_drawback_label_counts_against_its_heading_option():
    from assistant.stance import _drawback_label

    assert _drawback_label("Honest drawbacks. You own the loop, and so the checkpoints.")
    assert _drawback_label("Known issues: the engine must be rebuilt.")
    assert not _drawback_label("Drawbacks are few. It just works.")  # a sentence, no label
    assert not _drawback_label("Pros and cons: both ship wheels.")
    assert not _drawback_label("You own the loop. Drawbacks follow.")


def test_a_numeronym_reads_as_the_name_the_corpus_writes_out():
    """"k8s" finds the passage about Kubernetes; a name never becomes a numeronym query."""
    from assistant.lexical import BM25

    texts = ["Kubernetes runs the serving pods behind one gateway.",
             "Training jobs run under Slurm on the bare-metal nodes."]
    index = BM25.build(texts)
    assert index.expand("is there a k8s operator?") == "is there a k8s operator? (Kubernetes)"
    assert index.scores("k8s operator")[0] > 0 == index.scores("k8s operator")[1]
    assert index.expand("training on kubernetes") == "training on kubernetes"


def test_two_words_the_corpus_writes_as_one_find_it():
    """"set up" finds the "Setup time" row; words the corpus never joins stay apart."""
    from assistant.lexical import BM25

    index = BM25.build(["Tool: Prodigy | Setup time: 0.5 h", "Tool: CVAT | Boxes per hour: 340"])
    assert index.expand("which one was quickest to set up?") == \
        "which one was quickest to set up? (setup)"
    assert index.scores("which one was quickest to set up?")[0] > 0
    assert index.expand("boxes per hour") == "boxes per hour"
