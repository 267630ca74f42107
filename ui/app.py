"""The Gradio chat UI over the core API: `create_app(advisor)` builds it, `launch()` serves it.

No retrieval logic lives here: every answer is one `advisor.ask(question, history=...)` call,
where history is the earlier user messages of the chat (the core condenses a follow-up into a
standalone query). The answer then streams into the chat word by word (see ui/render.py).
Bad input (empty, too long) gets a polite reply in the chat, never an error toast.
A collapsible "What I know" panel lists the indexed documents (as `assistant docs` does);
launch() also watches the corpus folder and swaps in a rebuilt index when it changes.

To serve the same Blocks inside another FastAPI app:
    gr.mount_gradio_app(app, create_app(advisor), path="/", **page_options())
"""
from __future__ import annotations

import logging
import time

from assistant.validation import validate_question
from assistant.errors import AssistantError, InputError

from . import render

log = logging.getLogger(__name__)

QUEUE_MAX_SIZE = 64          # waiting requests beyond this are refused ("queue is full")
CONCURRENCY_LIMIT = 4        # answers computed at once (ask() is thread-safe; CPU-bound)
STREAM_DELAY_S = 0.015       # pause between streamed word chunks

TITLE = "Framework Advisor"
INTRO = ("Grounded answers to **{pairs}** questions, with a verdict and the passages behind "
         "it. Ask a follow-up like *“and for {topic}?”*; click a **[n]** to open its source.")
PLACEHOLDER = ("### Ask {first}?\nEvery answer cites the documents it comes from; questions "
               "they do not cover are declined, not guessed.")
OFF_TOPIC_EXAMPLE = "What is the capital of France?"

# Page-level assets (Gradio 6 takes these in launch() / mount_gradio_app(), not in Blocks).
CSS = """
#fa-chat a.fa-cite { color: var(--color-accent); cursor: pointer; }
#fa-chat a.fa-cite:hover { text-decoration: underline; }
#fa-chat details.fa-source[open] { background: var(--background-fill-secondary); }
#fa-chat details.fa-flash { outline: 2px solid #ff8f00; transition: outline 0.3s; }
#fa-chat table { font-size: 0.92em; }
#fa-status { opacity: 0.7; font-size: 0.85em; }
#fa-docs-list th, #fa-docs-list td:not(:first-child) { white-space: nowrap; }
"""
# A click on [n] opens source n of that answer and scrolls it into view (no navigation).
HEAD = """<script>
document.addEventListener("click", function (ev) {
  var a = ev.target.closest && ev.target.closest("a.fa-cite");
  if (!a) return;
  ev.preventDefault(); ev.stopPropagation();
  var id = (a.getAttribute("href") || "").replace(/^#/, "");
  var d = id && document.getElementById(id);
  if (!d) return;
  d.open = true;
  d.scrollIntoView({block: "nearest", behavior: "smooth"});
  d.classList.add("fa-flash");
  setTimeout(function () { d.classList.remove("fa-flash"); }, 1200);
}, true);
</script>"""


def page_options() -> dict:
    """theme/css/head for `demo.launch(**...)` or `gr.mount_gradio_app(..., **...)`."""
    import gradio as gr

    # System fonts only: the default theme would fetch Google Fonts, and we run offline.
    fonts = ["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"]
    mono = ["ui-monospace", "SFMono-Regular", "Menlo", "monospace"]
    theme = gr.themes.Soft(primary_hue="orange", font=fonts, font_mono=mono)
    return {"theme": theme, "css": CSS, "head": HEAD}


def _status_md(advisor) -> str:
    s = advisor.status()
    if not s.get("ready"):
        return "Index: loading on first question…"
    return (f"Index: {s.get('nodes')} passages · model `{s.get('model')}` on {s.get('device')}"
            f" · built {s.get('built_at') or '?'}")


def documents_md(advisor, live=None) -> str:
    """The "What I know" panel: the documents behind the index being served (catalog.py)."""
    from assistant.catalog import describe_corpus, render_markdown

    try:
        records = live.documents() if live is not None else describe_corpus(advisor.config.corpus_dir)
    except AssistantError as exc:
        return f"The document list is not available: {exc}"
    if not records:
        return "No documents are indexed yet."
    return render_markdown(records)


def earlier_questions(chat: list) -> list[str]:
    """The user messages of the chat so far, oldest first (rejected input never enters it)."""
    return [text for m in chat or [] if m.get("role") == "user"
            and (text := render.message_text(m.get("content")).strip())]


def make_responder(advisor):
    """The streaming chat handler: (message, chat) -> yields (textbox, chat, plain answer)."""

    def respond(message, chat):
        chat = list(chat or [])
        try:
            question = validate_question(message if isinstance(message, str) else "")
        except InputError as exc:
            chat.append({"role": "assistant", "content": render.polite_reply(str(exc))})
            yield "", list(chat), ""
            return
        history = earlier_questions(chat)
        turn = sum(1 for m in chat if m.get("role") == "assistant")
        chat.append({"role": "user", "content": question})
        yield "", list(chat), ""
        try:
            answer = advisor.ask(question, history=history).to_dict()
        except AssistantError as exc:
            chat.append({"role": "assistant", "content": render.polite_reply(str(exc))})
            yield "", list(chat), ""
            return
        except Exception:  # never a traceback or toast in the chat
            log.exception("answering %r failed", question[:200])
            chat.append({"role": "assistant",
                         "content": "Sorry, something went wrong answering that. Please try again."})
            yield "", list(chat), ""
            return
        chat.append({"role": "assistant", "content": ""})
        for frame in render.stream_frames(answer, turn):
            chat[-1] = {"role": "assistant", "content": frame}
            yield "", list(chat), render.plain_text(answer)
            time.sleep(STREAM_DELAY_S)

    return respond


def prewarm() -> None:
    """Pay Gradio's one-off first-request cost now, not on the first user's question: its first
    event resolves matplotlib's backend (importing pyplot, ~1-2 s here) when matplotlib is around."""
    try:
        import matplotlib

        matplotlib.get_backend()
    except ImportError:
        pass


def corpus_copy(advisor) -> dict:
    """Intro, placeholder and example questions derived from what the corpus compares (its
    options and the row labels of its comparison tables), so the page fits any corpus."""
    import json

    options = advisor.warm_up().options
    groups = list(options.compared.values()) or [list(options.display)]
    pairs = [" vs ".join(options.label(o) for o in g) for g in groups if g]
    rows = []  # table rows with a clear stance make good example questions
    for node in advisor.index.nodes:
        meta = node.metadata
        columns = sorted(set(json.loads(meta.get("option_columns") or "{}").values()))
        parts = json.loads(meta.get("stance") or "[]")
        if meta.get("kind") == "table_row" and len(columns) >= 2 and parts:
            scores = sorted((v for k, v in parts[0][2].items() if k != "either"), reverse=True)
            strength = scores[0] - (scores[1] if len(scores) > 1 else 0.0) if scores else 0.0
            rows.append((-strength, json.loads(meta["row_cells"])[0], columns))
    examples, topics = [], []
    for _, label, columns in sorted(rows, key=lambda r: r[0]):
        topic = " ".join(w.lower() if w[1:].islower() else w for w in label.split())
        if len(examples) < 4 and len(label) <= 30 and topic.split()[0] not in topics:
            topics.append(topic.split()[0])
            names = [options.label(o) for o in columns][:2]
            examples.append(f"{names[0]} or {names[1]} for {topic}?")
    first = pairs[0].replace(" vs ", " or ") if pairs else "which tool fits"
    return {"intro": INTRO.format(pairs="; ".join(pairs) or "the documents'",
                                  topic=examples[-1].split(" for ")[-1].rstrip("?")
                                  if examples else "another need"),
            "placeholder": PLACEHOLDER.format(first=first),
            "examples": examples + [OFF_TOPIC_EXAMPLE],
            "input": f"Ask about {'; '.join(pairs) or 'the documents'}… (Enter to send)"}


def create_app(advisor, live=None):
    """The chat UI as a gr.Blocks (queue configured, not launched) over `advisor`; `live`
    (watch.LiveIndex) supplies the document list of the index being served."""
    import gradio as gr

    respond = make_responder(advisor)
    copy = corpus_copy(advisor)
    with gr.Blocks(title=TITLE, analytics_enabled=False, fill_height=True) as demo:
        gr.Markdown(f"## {TITLE}\n{copy['intro']}")
        chatbot = gr.Chatbot(
            elem_id="fa-chat", show_label=False, height="68vh", min_height=360, scale=1,
            buttons=["copy", "copy_all"], feedback_options=None,
            placeholder=copy["placeholder"], examples=[{"text": q} for q in copy["examples"]],
            sanitize_html=True, autoscroll=True, group_consecutive_messages=False)
        with gr.Row(equal_height=True):
            box = gr.Textbox(elem_id="fa-input", show_label=False, lines=1, max_lines=6,
                             scale=8, autofocus=True, submit_btn=True,
                             placeholder=copy["input"])
        with gr.Row():
            copy_btn = gr.Button("Copy last answer", elem_id="fa-copy", size="sm")
            clear_btn = gr.Button("Clear chat", elem_id="fa-clear", size="sm",
                                  variant="secondary")
        status = gr.Markdown(elem_id="fa-status")
        with gr.Accordion("What I know", open=False, elem_id="fa-docs"):
            documents = gr.Markdown(elem_id="fa-docs-list")
        plain = gr.Textbox(visible=False, elem_id="fa-plain")

        outputs = [box, chatbot, plain]
        hidden = {"api_visibility": "undocumented"}  # UI plumbing; "chat" is the public endpoint
        box.submit(respond, [box, chatbot], outputs, api_name="chat",
                   concurrency_id="answer")
        def pick_example(evt):
            return evt.value["text"] if isinstance(evt.value, dict) else str(evt.value)

        pick_example.__annotations__ = {"evt": gr.SelectData}  # resolved without gradio global

        chatbot.example_select(pick_example, None, box, queue=False, **hidden).then(
            respond, [box, chatbot], outputs, concurrency_id="answer", **hidden)
        clear_btn.click(lambda: ("", [], ""), None, outputs, queue=False, **hidden)
        chatbot.clear(lambda: "", None, plain, queue=False, **hidden)
        copy_btn.click(None, plain, None,
                       js="(t) => { if (t) navigator.clipboard.writeText(t); }")
        demo.load(lambda: _status_md(advisor), None, status, queue=False, **hidden)
        demo.load(lambda: documents_md(advisor, live), None, documents, **hidden)
    demo.queue(max_size=QUEUE_MAX_SIZE, default_concurrency_limit=CONCURRENCY_LIMIT)
    return demo


def launch(config, host: str = "127.0.0.1", port: int = 7860):
    """Load the model, build the index if needed, then serve the UI (blocks until stopped)."""
    from assistant.advisor import Advisor

    started = time.perf_counter()
    print("Loading the model and index (building it if needed)…", flush=True)
    from assistant.watch import LiveIndex

    advisor = Advisor(config).warm_up(show_progress=True)
    s = advisor.status()
    print(f"Index {'built' if advisor.built else 'loaded'}: {s['nodes']} passages, "
          f"model {s['model']} on {s['device']} ({time.perf_counter() - started:.1f} s)",
          flush=True)
    live = LiveIndex(advisor, log=lambda msg: print(msg, flush=True)).start()
    demo = create_app(advisor, live=live)
    prewarm()
    print(f"Chat UI on http://{host}:{port}  (Ctrl+C to stop; watching {config.corpus_dir} "
          "for new documents)", flush=True)
    demo.launch(server_name=host, server_port=port, inbrowser=False, share=False,
                show_error=False, footer_links=["gradio"], quiet=True, **page_options())
