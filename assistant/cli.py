"""`assistant` command line: ask | index | docs | chat | serve | eval | bench.

Heavy libraries (torch, sentence-transformers, llama-index, gradio) are imported inside the
commands that need them, so `assistant --help` answers at once.
"""
from __future__ import annotations

import json
import sys
import time

import click

from .config import Config
from .errors import AssistantError, InputError

MAX_LINE_BYTES = 200_000


def _fail(message: str, code: int = 2):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


# (parameter name, flag, type, environment variable, help): accepted before or after a subcommand.
_GLOBALS = (
    ("corpus_dir", "--corpus", click.Path(file_okay=False), "ASSISTANT_CORPUS_DIR",
     "Folder of .md/.txt/.html/.pdf documents [env ASSISTANT_CORPUS_DIR; default ./corpus]."),
    ("index_dir", "--index-dir", click.Path(file_okay=False), "ASSISTANT_INDEX_DIR",
     "Where the index is persisted [env ASSISTANT_INDEX_DIR; default ./index]."),
    ("embed_model", "--model", None, "ASSISTANT_EMBED_MODEL",
     "sentence-transformers model name or path [env ASSISTANT_EMBED_MODEL]."),
    ("device", "--device", click.Choice(["auto", "cpu", "cuda"]), "ASSISTANT_DEVICE",
     "Embedding device [env ASSISTANT_DEVICE; default auto]."),
)


def _remember(ctx, param, value):
    """A global option given after the subcommand: kept for config_from(), where it wins."""
    if value is not None:
        ctx.meta.setdefault("assistant.globals", {})[param.name] = value
    return value


def _group_options(f):
    for name, flag, kind, env, help_text in reversed(_GLOBALS):
        f = click.option(flag, name, type=kind, envvar=env, help=help_text)(f)
    return f


class _Command(click.Command):
    """A subcommand that also takes the global options (no env vars here: the group reads
    them, so a flag before the subcommand is not overridden by the environment)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params += [click.Option([flag, name], type=kind, help=help_text, expose_value=False,
                                     callback=_remember)
                        for name, flag, kind, _env, help_text in _GLOBALS]


class _Group(click.Group):
    """Turns AssistantError and usage errors into one line on stderr and exit 2."""

    command_class = _Command

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if getattr(exc, "ctx", None) else ""
            _fail(exc.format_message() + hint, exc.exit_code)
        except click.Abort:
            _fail("aborted", 1)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else 0)
        return result

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AssistantError as exc:
            _fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@_group_options
@click.version_option(package_name="framework-advisor")
@click.pass_context
def cli(ctx, corpus_dir, index_dir, embed_model, device):
    """Framework Advisor: grounded "X or Y?" answers from your documents, with citations.

    Try:  assistant ask "TF or PyTorch for browser?"
    """
    ctx.obj = {"corpus_dir": corpus_dir, "index_dir": index_dir, "embed_model": embed_model,
               "device": device}


def config_from(ctx, **extra) -> Config:
    """Config from env vars, global options before the subcommand, then those after it."""
    return Config.from_env(**{**ctx.obj, **ctx.meta.get("assistant.globals", {}), **extra})


def make_advisor(config: Config):
    from .advisor import Advisor

    return Advisor(config, log=lambda msg: click.echo(msg, err=True))


def read_questions(path: str) -> list[str]:
    """One question per non-blank line of a UTF-8 file ('-' = stdin)."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{'stdin' if path == '-' else path} is not UTF-8 text "
                         f"(bad byte at offset {exc.start})") from None
    questions = [line.replace("\ufeff", "").strip() for line in text.splitlines()]
    questions = [q for q in questions if q]
    if not questions:
        raise InputError(f"no questions in {'stdin' if path == '-' else path}")
    return questions


def render_text(answer) -> str:
    """Terminal rendering: verdict line, answer, numbered sources."""
    head = answer.headline
    lines = [head if answer.abstained or not answer.verdict else
             f"Verdict: {head} (confidence {answer.confidence:.2f})"]
    lines += ["", click.wrap_text(answer.answer, width=100), ""]
    for row in answer.criteria or []:
        cells = "; ".join(f"{k}: {v}" for k, v in row["cells"].items() if v)
        lines.append(f"  - {row['criterion']}: {row['favours']} [{row['n']}]"
                     + (f" ({cells})" if cells else ""))
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            quote = c.text if len(c.text) <= 300 else c.text[:297] + "..."
            lines.append(f"  [{c.n}] {c.source} — {c.section}")
            lines.append(click.wrap_text(quote, width=100, initial_indent="      ",
                                         subsequent_indent="      "))
    return "\n".join(lines)


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object.")
@click.option("--file", "-f", "file", type=str, help="Answer one question per line of FILE "
              "('-' = stdin); prints one JSON object per line.")
@click.option("-k", "k", type=click.IntRange(1, 50), help="Passages to cite at most [default 5].")
@click.option("--slack-webhook", envvar="SLACK_WEBHOOK_URL",
              help="Also post the answer to this Slack incoming-webhook URL [env SLACK_WEBHOOK_URL].")
@click.option("--history", multiple=True, help="An earlier message of the conversation, oldest "
              "first (repeat for several): a follow-up such as 'and for mobile?' reads it.")
@click.pass_context
def ask(ctx, question, as_json, file, k, slack_webhook, history):
    """Answer QUESTION (or every line of --file) with a verdict and cited passages."""
    if question == "-" and not file:
        file, question = "-", None
    if file and question:
        raise InputError("give either a QUESTION or --file, not both")
    if file and history:
        raise InputError("--history goes with one QUESTION, not with --file")
    if not file and question is None:
        raise InputError('no question given; try: assistant ask "TF or PyTorch for browser?"')
    config = config_from(ctx, top_k=k)
    if slack_webhook and not slack_webhook.startswith(("https://", "http://")):
        raise InputError(f"--slack-webhook must be an http(s) URL, not {slack_webhook!r}")
    if file:
        return _ask_batch(config, read_questions(file), slack_webhook)
    from .validation import validate_history, validate_question

    validate_question(question)  # fail fast, before loading anything
    history = validate_history(list(history))
    advisor = make_advisor(config)
    answer = advisor.ask(question, k=k, history=history)
    click.echo(json.dumps(answer.to_dict(), ensure_ascii=False) if as_json else render_text(answer))
    if slack_webhook:
        from .slack import post_webhook

        post_webhook(slack_webhook, answer)


def _ask_batch(config: Config, questions: list[str], slack_webhook: str | None = None):
    advisor = make_advisor(config)
    failed = 0
    for question in questions:
        try:
            answer = advisor.ask(question)
            record = answer.to_dict()
        except InputError as exc:
            failed += 1
            record = {"question": question[:200], "error": str(exc)}
            answer = None
        click.echo(json.dumps(record, ensure_ascii=False))
        if answer is not None and slack_webhook:
            from .slack import post_webhook

            post_webhook(slack_webhook, answer)
    if failed:
        _fail(f"{failed} of {len(questions)} questions were rejected (see their 'error')")


@cli.command()
@click.argument("question")
@click.option("-k", "k", type=click.IntRange(1, 50), help="Passages to cite at most [default 5].")
@click.option("--history", multiple=True, help="An earlier user message (repeat for several).")
@click.pass_context
def explain(ctx, question, k, history):
    """Show how QUESTION is answered: evidence, each passage's stance, weights, verdict (JSON)."""
    from .validation import validate_history, validate_question

    validate_question(question)
    history = validate_history(list(history))
    advisor = make_advisor(config_from(ctx, top_k=k))
    click.echo(json.dumps(advisor.explain(question, k=k, history=history),
                          ensure_ascii=False, indent=2))


@cli.command()
@click.option("--rebuild", is_flag=True, help="Rebuild even if the index is up to date.")
@click.pass_context
def index(ctx, rebuild):
    """Build (or load) the index and report node count and build time."""
    config = config_from(ctx)
    started = time.perf_counter()
    advisor = make_advisor(config)
    advisor.warm_up(rebuild=rebuild, show_progress=sys.stderr.isatty())
    manifest = advisor.index.manifest
    action = "built" if advisor.built else "loaded (up to date)"
    click.echo(f"index {action}: {manifest['count']} nodes, dim {manifest['dimension']}, "
               f"{manifest['index_kind']}, model {manifest['model_id']} on {advisor.embedder.device}, "
               f"{time.perf_counter() - started:.1f}s total"
               + (f" (build {manifest['build_seconds']:.1f}s)" if advisor.built else "")
               + f" -> {config.index_dir}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as one JSON object.")
@click.pass_context
def docs(ctx, as_json):
    """List the corpus: each document's title, format, passages and tables, or why it was skipped."""
    from .catalog import describe_corpus, render_text, totals

    config = config_from(ctx)
    records = describe_corpus(config.corpus_dir)
    if as_json:
        click.echo(json.dumps({"corpus": str(config.corpus_dir), "documents": records,
                               "totals": totals(records)}, ensure_ascii=False))
    else:
        click.echo(render_text(records))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
def chat(ctx, host, port):
    """Serve the Gradio chat UI."""
    from ui.app import launch

    launch(config_from(ctx), host=host, port=port)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="ASSISTANT_HOST")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              envvar="ASSISTANT_PORT")
@click.pass_context
def serve(ctx, host, port):
    """Serve everything: Gradio at /, Slack at /slack/events, JSON API at /api/*, /healthz."""
    from .server import run

    run(config_from(ctx), host=host, port=port)


@cli.command(name="eval")
@click.argument("eval_set", required=False, default="eval/faq.jsonl")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option("--out", default="eval", show_default=True, help="Folder for report.md and the chart.")
@click.option("--systems", default="advisor,bm25,hybrid", show_default=True,
              help="Comma-separated systems to compare.")
@click.pass_context
def evaluate(ctx, eval_set, as_json, out, systems):
    """Run an eval set (JSONL) and report retrieval, grounding, verdict and abstention metrics."""
    from .tools.evaluation import run_cli

    run_cli(config_from(ctx), eval_set, as_json=as_json, out=out,
            systems=[s.strip() for s in systems.split(",") if s.strip()])


@cli.command()
@click.option("--out", default="eval", show_default=True, help="Folder for bench.md and bench.json.")
@click.option("--quick", is_flag=True, help="Fewer repetitions and smaller scale points.")
@click.pass_context
def bench(ctx, out, quick):
    """Benchmark cold start, warm latency, server throughput, index build, scale and memory."""
    from .tools.bench import run_cli

    run_cli(config_from(ctx), out=out, quick=quick)


def main():
    cli(prog_name="assistant")


if __name__ == "__main__":
    main()
