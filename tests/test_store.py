"""The persisted index: first build, reload, rebuild on change, corruption, atomicity, lock."""
from __future__ import annotations

import json
import shutil
import threading

import pytest

from assistant import store
from assistant.store import MANIFEST, NODES, VECTORS, ensure_index, read_manifest
from conftest import CORPUS, ROOT


@pytest.fixture
def corpus_copy(tmp_path):
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def build(corpus, index_dir, embedder, **kw):
    messages = []
    loaded, built = ensure_index(corpus, index_dir, embedder, log=messages.append, **kw)
    return loaded, built, messages


def test_first_build_then_load(corpus_copy, isolated_index, embedder):
    loaded, built, _ = build(corpus_copy, isolated_index, embedder)
    assert built and loaded.count == loaded.faiss_index.ntotal > 90
    manifest = read_manifest(isolated_index)
    assert manifest["model_id"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert manifest["dimension"] == 384 and manifest["count"] == loaded.count
    assert {"corpus_hash", "chunker_version", "files", "index_kind"} <= set(manifest)
    again, built_again, messages = build(corpus_copy, isolated_index, embedder)
    assert not built_again and not messages
    assert [n.node_id for n in again.nodes] == [n.node_id for n in loaded.nodes]
    assert not list(isolated_index.glob("*.tmp")), "temp files left behind"


def test_search_finds_the_browser_row(corpus_copy, isolated_index, embedder):
    loaded, _, _ = build(corpus_copy, isolated_index, embedder)
    vector = embedder.encode(["Which framework runs models in the web browser?"])
    _, ids = loaded.faiss_index.search(vector, 5)
    texts = [loaded.nodes[i].get_content() for i in ids[0]]
    assert any("TensorFlow.js" in t for t in texts)


def test_corpus_change_triggers_rebuild(corpus_copy, isolated_index, embedder):
    first, _, _ = build(corpus_copy, isolated_index, embedder)
    (corpus_copy / "team-notes.md").write_text(
        "# Team notes\n\n## Hardware\n\nOur team deploys vision models on Jetson Orin boards.\n",
        encoding="utf-8")
    second, built, messages = build(corpus_copy, isolated_index, embedder)
    assert built and "corpus_hash" in messages[0]
    assert second.count == first.count + 1
    assert any("Jetson" in n.get_content() for n in second.nodes)


def test_model_or_chunker_change_triggers_rebuild(corpus_copy, isolated_index, embedder,
                                                   monkeypatch):
    build(corpus_copy, isolated_index, embedder)
    monkeypatch.setattr(store, "CHUNKER_VERSION", "999")
    _, built, messages = build(corpus_copy, isolated_index, embedder)
    assert built and "chunker_version" in messages[0]
    manifest = read_manifest(isolated_index)
    manifest["model_id"] = "some/other-model"
    (isolated_index / MANIFEST).write_text(json.dumps(manifest))
    _, built, messages = build(corpus_copy, isolated_index, embedder)
    assert built and "model_id" in messages[0]


@pytest.mark.parametrize("damage", ["truncate_vectors", "edit_nodes", "garbage_manifest",
                                    "delete_nodes"])
def test_corruption_is_detected_and_rebuilt(corpus_copy, isolated_index, embedder, damage):
    good, _, _ = build(corpus_copy, isolated_index, embedder)
    if damage == "truncate_vectors":
        data = (isolated_index / VECTORS).read_bytes()
        (isolated_index / VECTORS).write_bytes(data[: len(data) // 2])
    elif damage == "edit_nodes":
        text = (isolated_index / NODES).read_text(encoding="utf-8")
        (isolated_index / NODES).write_text(text.replace("TensorFlow.js", "TensorFlow.py", 1))
    elif damage == "garbage_manifest":
        (isolated_index / MANIFEST).write_text("{not json")
    else:
        (isolated_index / NODES).unlink()
    repaired, built, messages = build(corpus_copy, isolated_index, embedder)
    assert built
    assert messages and ("warning" in messages[0] or "rebuilding" in messages[0])
    assert repaired.count == good.count
    assert [n.get_content() for n in repaired.nodes] == [n.get_content() for n in good.nodes]


def test_concurrent_builders_build_once(corpus_copy, isolated_index, embedder, monkeypatch):
    calls = []
    real_build = store.build_index

    def counting_build(*args, **kwargs):
        calls.append(1)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(store, "build_index", counting_build)
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        ensure_index(corpus_copy, isolated_index, embedder, log=lambda m: None)))
        for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len({r[0].count for r in results}) == 1


def test_large_collections_switch_to_approximate_index(embedder):
    import numpy as np

    rng = np.random.default_rng(0)
    small = rng.standard_normal((100, 8)).astype("float32")
    assert type(store.make_faiss_index(small)).__name__ == "IndexFlatIP"
    big = rng.standard_normal((store.APPROX_FROM, 8)).astype("float32")
    assert "HNSW" in type(store.make_faiss_index(big)).__name__


def test_the_options_found_do_not_depend_on_the_process_hash_seed():
    """Two builds of one corpus learn the same aliases, whatever Python's set order."""
    import os
    import subprocess
    import sys

    script = ("import json, sys; from pathlib import Path; from assistant.llama import ingest; "
              "from assistant.store import Node; from assistant.stance import annotate; "
              "nodes = [Node(n.node_id, n.get_content(), dict(n.metadata)) "
              "for n in ingest(Path(sys.argv[1]))]; "
              "print(json.dumps(annotate(nodes), sort_keys=True))")
    corpus = str(ROOT / "eval" / "corpora" / "fourth")
    found = {subprocess.run([sys.executable, "-c", script, corpus], capture_output=True,
                            text=True, check=True, cwd=ROOT,
                            env={**os.environ, "PYTHONHASHSEED": str(seed),
                                 "HF_HUB_OFFLINE": "1"}).stdout
             for seed in (1, 2, 3, 4)}
    assert len(found) == 1
