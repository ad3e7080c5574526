"""The command line: thin wrappers over the package API."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=False, help="Crawled news pages in, clean tables out.")
eval_app = typer.Typer(add_completion=False, help="Score the pipeline against gold data.")
app.add_typer(eval_app, name="eval")
rules_app = typer.Typer(add_completion=False, help="Check, score and convert the entity rules and annotations.")
app.add_typer(rules_app, name="rules")

DEFAULT_INPUT = Path("raw")
DEFAULT_OUT = Path("processed")


@app.callback(invoke_without_command=True)
def main(ctx: typer.Context) -> None:
    """With no command: `run` on raw/ into processed/."""
    if ctx.invoked_subcommand is None:
        _run([DEFAULT_INPUT], DEFAULT_OUT, "both", 1, None, [], [], False, False, "local", None)


def _parse_sets(values: list[str]) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--set takes key=value, got {item!r}")
        out[key.strip()] = value.strip()
    return out


@app.command()
def run(
    inputs: Optional[list[Path]] = typer.Argument(None, help="Folders, WARC files or crawler JSONL files (default: raw/)."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", "-o", help="Output folder for the tables and run.json."),
    fmt: str = typer.Option("both", "--format", help="parquet | csv | both"),
    workers: int = typer.Option(1, "--workers", "-j", help="Worker processes (local executor) or LocalCluster workers (dask)."),
    executor: str = typer.Option("local", "--executor", help="local (supervised worker processes) | dask | inline (this process, soft time limits only)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786); without it a LocalCluster is started."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML file overriding defaults.toml keys."),
    set_: list[str] = typer.Option([], "--set", help="Override one setting: key=value (repeatable)."),
    tables: list[str] = typer.Option([], "--table", help="Also write an optional table, e.g. blocks (repeatable)."),
    force: bool = typer.Option(False, "--force", help="Redo every page instead of reusing finished work."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the final summary."),
) -> None:
    """Run the pipeline over INPUTS and write documents, mentions, errors, ... to OUT."""
    _run(inputs or [DEFAULT_INPUT], out, fmt, workers, config, set_, tables, force, quiet, executor, scheduler)


def _run(inputs, out, fmt, workers, config, set_, tables, force, quiet, executor, scheduler) -> None:
    from . import load_settings
    from .io import OutputError
    from .lock import OutputLocked
    from .runner import run as run_pipeline

    formats = {"both": ("parquet", "csv"), "parquet": ("parquet",), "csv": ("csv",)}.get(fmt)
    if formats is None:
        raise typer.BadParameter("--format must be parquet, csv or both")
    overrides: dict = _parse_sets(set_)
    overrides["formats"] = formats
    if tables:
        overrides["extra_tables"] = tuple(tables)
    try:
        settings = load_settings(config, overrides)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        with _progress(quiet) as progress:
            manifest = run_pipeline(inputs, out, settings, workers=workers, force=force, progress=progress, executor=executor, scheduler=scheduler)
    except (OutputLocked, OutputError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    _print_summary(manifest)
    if manifest["counts"].get("documents_written", 0) == 0 and manifest["counts"].get("pages_read", 0) > 0:
        raise typer.Exit(code=1)


class _progress:
    """A progress bar on a terminal; plain log lines otherwise (CI, notebooks, cluster logs)."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bar = None

    def __enter__(self):
        if self.quiet:
            return None
        if sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task("units", total=None)
        return self

    def __call__(self, result, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total, description=f"units ({result.stats.get('documents_written', 0)} docs in last)")
        else:
            logging.getLogger("pipeline").info(
                "unit %d/%d %s: %d pages, %d documents (%.1fs)",
                done, total, result.label, result.stats.get("pages_read", 0), result.stats.get("documents_written", 0), result.seconds,
            )

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


def _print_summary(manifest: dict) -> None:
    counts = manifest["counts"]
    repeated = counts.get("skipped/exact_duplicate_input", 0)
    parts = [f"pages read: {counts.get('pages_read', 0)}", f"documents written: {counts.get('documents_written', 0)}"]
    if repeated:
        parts.append(f"identical pages skipped: {repeated}")
    work = manifest["work"]
    parts += [f"inputs: {work['items']} ({work['reused']} done before, {work['processed']} processed)", f"wall: {manifest['wall_seconds']:.1f}s"]
    if work.get("worker_peak_rss_mb"):
        parts.append(f"worker memory peak: {work['worker_peak_rss_mb']:.0f} MB")
    typer.echo("   ".join(parts))
    if manifest["errors_by_reason"]:
        typer.echo("errors by reason: " + ", ".join(f"{k} {v}" for k, v in manifest["errors_by_reason"].items()))
    typer.echo("tables: " + ", ".join(f"{k} {v}" for k, v in manifest["tables"].items()))
    typer.echo(f"written to {manifest['out']}/ ({', '.join(manifest['files'])}) and run.json")


@app.command()
def status(
    out: Path = typer.Argument(DEFAULT_OUT, help="The output folder of a run."),
    inputs: Optional[list[Path]] = typer.Option(None, "--input", help="Inputs to compare with (default: those of the last run)."),
    as_json: bool = typer.Option(False, "--json", help="Print the status as JSON."),
) -> None:
    """What is done, pending and failed in OUT for its inputs, with counts."""
    from .status import run_status

    report = run_status(out, inputs)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    typer.echo(f"{report['out']}: {report['items']} inputs: {report['done']} done, {report['pending']} pending, {report['failed']} failed")
    typer.echo(f"documents {report['documents']}, errors rows {report['error_rows']}; work from other settings or removed inputs: {report['stale_units']} units")
    for reason, n in report["errors_by_reason"].items():
        typer.echo(f"  {reason}: {n}")
    if report["pending_examples"]:
        typer.echo("pending, e.g.: " + ", ".join(report["pending_examples"]))


@app.command()
def schema(
    target: Optional[Path] = typer.Option(
        None, "--update", help="Rewrite the data dictionary between the markers in this file (docs/tables.md)."
    ),
) -> None:
    """Print the data dictionary (Markdown) generated from the table schemas, or update it in docs/tables.md."""
    from .schema import data_dictionary_markdown

    text = data_dictionary_markdown()
    if target is None:
        typer.echo(text)
        return
    start, end = "<!-- data-dictionary:start -->", "<!-- data-dictionary:end -->"
    content = target.read_text("utf-8")
    head, _, rest = content.partition(start)
    _, _, tail = rest.partition(end)
    target.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")


@eval_app.command("extraction")
def eval_extraction(
    dataset: Path = typer.Argument(..., help="trafilatura_eval folder, or a crawl folder with gold/ (osce_dev)."),
    limit: Optional[int] = typer.Option(None, help="Only the first N pages."),
    worst: int = typer.Option(10, help="List this many worst pages."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
) -> None:
    """Score body extraction against gold (snippet measure, 4-gram shingles, osce gold)."""
    from .evaluation.extraction import evaluate_extraction

    _report(evaluate_extraction(dataset, limit=limit), worst, as_json)


@eval_app.command("fields")
def eval_fields(
    gold: list[Path] = typer.Argument(..., help="Gold folders/files: osce_dev, seed_000.json, htmldate_bbaw."),
    limit: Optional[int] = typer.Option(None, help="Only the first N pages of a date set."),
    worst: int = typer.Option(20, help="List this many errors."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
) -> None:
    """Per-field accuracy of the metadata (title, type, dates, dateline, ...)."""
    from .evaluation.fields import evaluate_fields

    _report(evaluate_fields(gold, limit=limit), worst, as_json)


@eval_app.command("entities")
def eval_entities(
    gold: list[Path] = typer.Argument(..., help="Gold files/folders: seed_000.json, osce_dev gold, entities_dev JSONL (WikiGold, LGL, TimeBank, PolNeAR), Prodigy JSONL."),
    half: Optional[int] = typer.Option(None, min=0, max=1, help="Only the pages/documents of even (0) or odd (1) index."),
    worst: int = typer.Option(20, help="List this many errors."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
) -> None:
    """Precision / recall / F1 per entity label, and per rule; each public corpus with its own measures."""
    from .evaluation.entities import evaluate_entities

    _report(evaluate_entities(gold, half=half), worst, as_json)


def _rules_dir(rules_dir: Optional[Path]) -> Path:
    from . import load_settings
    from .resources import Resources

    return rules_dir or Resources(load_settings()).rules_dir


@rules_app.command("check")
def rules_check(rules_dir: Optional[Path] = typer.Option(None, help="Rules folder (default: the package's rules).")) -> None:
    """Load and validate every pattern file; print how many patterns each file has per label."""
    from collections import Counter

    from .nlp.rules import RuleError, RuleSet

    folder = _rules_dir(rules_dir)
    try:
        rules = RuleSet.load(folder / "patterns")
    except RuleError as exc:
        typer.echo(f"invalid rules: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    for name, patterns in sorted(rules.files.items()):
        labels = Counter(p["label"] for p in patterns)
        typer.echo(f"{name}: {len(patterns)} patterns ({', '.join(f'{k} {v}' for k, v in sorted(labels.items()))})")
    typer.echo(f"ok: {len(rules.patterns())} patterns in {folder / 'patterns'}")


@rules_app.command("eval")
def rules_eval(
    gold: list[Path] = typer.Argument(..., help="Gold folders/files (osce_dev layout, seed gold JSON) or Prodigy JSONL files."),
    rules_dir: Optional[Path] = typer.Option(None, help="Rules folder to score (default: the package's rules)."),
    worst: int = typer.Option(15, help="List this many rules and misses."),
) -> None:
    """Span-level precision / recall / F1 of model + rules per label, each rule's right and wrong matches, misses."""
    from .evaluation.mentions import score_mentions

    scores = score_mentions(_load_annotations(gold), rules_dir)
    typer.echo(scores.table().to_string())
    typer.echo("\nrules (most wrong first):")
    for row in scores.per_rule[:worst]:
        typer.echo(f"  {row['rule']}: right {row['right']}, wrong {row['wrong']}")
    typer.echo("\nmissed:")
    for row in scores.false_negatives[:worst]:
        typer.echo(f"  {row['label']} {row['text']!r} in {row['page']}: ...{row['context']}...")


@rules_app.command("export")
def rules_export(
    gold: list[Path] = typer.Argument(..., help="Gold folders/files (osce_dev layout, seed gold JSON) or Prodigy JSONL files."),
    out: Path = typer.Option(..., "--out", "-o", help="Prodigy-style JSONL to write."),
) -> None:
    """Convert gold annotations to Prodigy-style JSONL (text + spans), e.g. for annotation tools or NER training."""
    from .annotations import write_prodigy

    items = _load_annotations(gold)
    write_prodigy(items, out)
    typer.echo(f"{len(items)} texts, {sum(len(i.spans) for i in items)} spans -> {out}")


def _load_annotations(paths: list[Path]):
    from .annotations import gold_annotations, read_prodigy

    items = []
    for path in paths:
        items.extend(read_prodigy(path) if path.suffix == ".jsonl" else gold_annotations([path]))
    return items


def _report(result: dict, worst: int, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))
        return
    typer.echo(json.dumps(result.get("summary", {}), indent=2, ensure_ascii=False, default=str))
    for key in ("rules", "pages", "errors"):
        rows = result.get(key)
        if rows:
            typer.echo(f"\n{key} (first {min(worst, len(rows))} of {len(rows)}):")
            for row in rows[:worst]:
                typer.echo("  " + json.dumps(row, ensure_ascii=False, default=str))


@app.command()
def report(
    run_dir: Path = typer.Argument(DEFAULT_OUT, help="A run's output folder (with run.json and the tables)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Where to write the site (default: RUN_DIR/report)."),
) -> None:
    """Build the run report: a static site that opens from the file system (RUN_DIR/report/index.html)."""
    from .report import build_report

    index = build_report(run_dir, out)
    typer.echo(f"report written to {index.parent}/ (open {index})")


if __name__ == "__main__":  # pragma: no cover
    app()
