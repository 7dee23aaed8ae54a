#!/usr/bin/env python3
"""The command line: check the content, explain a procedure's answers, refresh golden files, build.

    python build.py check   [--date YYYY-MM-DD] [--strict]
    python build.py explain PROCEDURE [question=option ...] [--lang en] [--date ...] [--json]
    python build.py golden  [--check]
    python build.py build   [--date ...] [--post ID] [--lang L] [--jobs N] [--shard I/N] [--out site]
    python build.py merge   SHARD_FOLDER... [--out site]
    python build.py serve   [--post ID] [--port 8000]
    python build.py usb     [--post ID] [--out dist]
    python build.py diff    BASE [--date ...]
    python build.py screenshots [--site site] [--out screenshots] [--post ID]
    python build.py translations export --lang fr [--out fr.po]
    python build.py translations import FILE [--lang fr]

Problems in the content are printed here, once, as `file:line:column: message — hint`, and set
the exit status; the pipeline itself never prints: it returns reports (and `serve` hands its events
to `print_serve_event`). `build`, `serve` and `usb` replace only folders a build made (see
pipeline/outdir.py); Ctrl-C, SIGTERM and SIGHUP stop them without leaving anything behind.
"""

import argparse
import contextlib
import datetime
import json
import signal
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent
GOLDEN_DIR = ROOT / "tests" / "golden"
# Golden outcomes are computed on a fixed date so that they change only when the content does.
GOLDEN_DATE = "2026-12-01"

sys.path.insert(0, str(ROOT))

from pipeline.errors import ContentError  # noqa: E402
from pipeline.model import load_content  # noqa: E402
from wizard.engine import evaluate  # noqa: E402
from wizard.paths import enumerate_paths, path_key  # noqa: E402
from wizard.present import answers_view, outcome_view, question_view  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate all content; report every problem with file:line")
    check.add_argument("--date", type=_date, help="build date (default: today)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="github: also print problems as GitHub Actions annotations on the file and line",
    )

    explain = sub.add_parser("explain", help="show the outcome for answers, or list every path")
    explain.add_argument("procedure")
    explain.add_argument(
        "answers",
        nargs="*",
        metavar="question=option",
        help="answers; an age question also takes a date of birth (age=2019-05-01)",
    )
    explain.add_argument("--date", type=_date, help="application date (default: today)")
    explain.add_argument("--lang", default=None, help="language of the labels (default: the site's first)")
    explain.add_argument("--json", action="store_true", help="print the engine's semantic result as JSON")

    golden = sub.add_parser("golden", help="rewrite tests/golden/ from the current content")
    golden.add_argument("--check", action="store_true", help="only report whether the files are up to date")

    build = sub.add_parser("build", help="build the site for every post and language into site/")
    build.add_argument("--date", type=_date, help="build date: selects the fees shown (default: today)")
    build.add_argument("--post", action="append", help="build only this post (repeatable)")
    build.add_argument("--lang", action="append", help="build only this language (repeatable)")
    build.add_argument("--jobs", type=int, help="MkDocs builds at once (default: one per core)")
    build.add_argument("--shard", type=_shard, metavar="I/N", help="build only shard I of N (then: merge)")
    build.add_argument("--out", type=Path, default=ROOT / "site")
    build.add_argument(
        "--base-url",
        type=_base_url,
        metavar="URL",
        help="the address the site is published at (default: content/site.yaml's base_url, if any): "
        "canonical links and sitemap.xml",
    )

    merge = sub.add_parser("merge", help="merge the sites that build --shard I/N made into one site")
    merge.add_argument("shards", nargs="+", type=Path, help="the shards' output folders")
    merge.add_argument("--out", type=Path, default=ROOT / "site")

    serve = sub.add_parser("serve", help="preview the site, rebuilding when content changes")
    serve.add_argument("--post", action="append")
    serve.add_argument("--date", type=_date)
    serve.add_argument("--port", type=int, default=8000)

    usb = sub.add_parser("usb", help="build the site and pack a copy for a USB stick (folder + zip)")
    usb.add_argument("--date", type=_date)
    usb.add_argument("--post", action="append", help="only this post, in its languages (repeatable)")
    usb.add_argument("--out", type=Path, default=ROOT / "dist")

    shots = sub.add_parser("screenshots", help="desktop and phone pictures of the key pages of every post and language")
    shots.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    shots.add_argument("--out", type=Path, default=ROOT / "screenshots", help="where the PNG files go")
    shots.add_argument("--date", type=_date, help="the date the site was built for (default: today)")
    shots.add_argument("--post", action="append", help="only this post (repeatable)")

    diff = sub.add_parser("diff", help="what changes for visitors between git revision BASE and the work tree")
    diff.add_argument("base", help="a git revision, e.g. origin/main")
    diff.add_argument("--date", type=_date, help="build date (default: today)")

    translations = sub.add_parser("translations", help="texts for translators: a gettext PO file, out and back in")
    translations_sub = translations.add_subparsers(dest="action", required=True)
    export = translations_sub.add_parser("export", help="write every text and its translation as a PO file")
    export.add_argument("--lang", required=True, help="the language to translate into, e.g. fr")
    export.add_argument("--out", help="the PO file to write (default: LANG.po; '-' writes to standard output)")
    export.add_argument("--date", type=_date, help="the file's creation date (default: today)")
    import_ = translations_sub.add_parser("import", help="write the translations of a PO file into the YAML")
    import_.add_argument("file", type=Path, help="a PO file written by 'translations export' and translated")
    import_.add_argument("--lang", help="refuse the file unless it is for this language")

    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1


def _date(value):
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date: write YYYY-MM-DD") from None


def _shard(value):
    from pipeline.shards import parse_shard

    try:
        return parse_shard(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _base_url(value):
    from pipeline.publish import base_address

    try:
        return base_address(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def github_annotation(problem):
    """A GitHub Actions workflow command that shows `problem` on its file and line in the pull request."""

    def escape(value):
        return str(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    level = "warning" if problem.severity == "warning" else "error"
    message = f"{problem.message} — {problem.hint}" if problem.hint else problem.message
    return f"::{level} file={escape(problem.file)},line={problem.line},col={problem.column}::{escape(message)}"


def cmd_check(args):
    try:
        content = load_content(ROOT, on=args.date)
    except ContentError as error:
        if args.format == "github":
            for problem in error.problems:
                print(github_annotation(problem))
        raise
    for warning in content.warnings:
        print(warning, file=sys.stderr)
        if args.format == "github":
            print(github_annotation(warning))
    if args.strict and content.warnings:
        print(f"{len(content.warnings)} warning(s); --strict makes them errors.", file=sys.stderr)
        return 1
    from pipeline.report import format_translation_report, translation_report

    paths = sum(len(enumerate_paths(p, content.on)) for p in content.procedures.values())
    print(format_translation_report(translation_report(content)))
    print(
        f"ok: {len(content.procedures)} procedures, {len(content.posts)} posts, {len(content.languages)} languages, "
        f"{paths} answer paths, each ending in exactly one route ({len(content.warnings)} warnings)"
    )
    return 0


def cmd_explain(args):
    content = load_content(ROOT, on=args.date)
    lang = args.lang or content.default_language
    procedure = content.procedures.get(args.procedure)
    if procedure is None:
        print(f"unknown procedure '{args.procedure}'; known: {', '.join(content.procedures)}", file=sys.stderr)
        return 2
    if not args.answers:
        for answers, outcome in enumerate_paths(procedure, content.on):
            total = ", ".join(f"{t['amount']} {t['currency']}" for t in outcome.get("total", [])) or "no fee"
            print(f"{path_key(answers)}\n    -> {outcome.get('route', outcome['status'])} ({total})")
        return 0
    answers = {}
    for item in args.answers:
        question, _, option = item.partition("=")
        answers[question] = option
    result = evaluate(procedure, answers, content.on)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False, sort_keys=True))
        return 0 if result["status"] != "error" else 1
    print(format_result(procedure, result, content.words(lang)))
    return 0 if result["status"] != "error" else 1


def format_result(procedure, result, words, post=None):
    """The plain-text account of one engine result, as `explain` prints it: the same view (words,
    dates, amounts) as the wizard's result (wizard.present), laid out as lines."""
    if result["status"] == "error":
        return "\n".join(f"error: {e['message']}" for e in result["errors"])
    if result["status"] == "question":
        question = question_view(procedure, result["question"], words)
        lines = [f"next question: {question['id']}: {question['text']}"]
        lines += [f"  {result['question']}={o['id']}    {o['label']}" for o in question["options"]]
        return "\n".join(lines)
    view = outcome_view(procedure, result, words, post)
    example = f" ({words['example_value']})"
    lines = [view["procedure"], words.fill("computed_on", date=view["on"]), ""]
    lines += [
        f"  {a['text']} {a['answer']}" for a in answers_view(procedure, result["answers"], words, result["exact"])
    ]
    lines += ["", f"{words['result']} {view['route']['title']} [{view['route']['id']}]", "", f"{words['steps']}:"]
    lines += [
        f"  {i}. {s['text']}" + (f" ({s['office']['name']})" if s["office"] else "")
        for i, s in enumerate(view["steps"], 1)
    ]
    sections = [
        ("warnings", [f"  ! {w['text']}" for w in view["warnings"]]),
        ("documents", [f"  [ ] {d['label']}" for d in view["documents"]]),
        (
            "fees",
            [f"  {words['total']}: {t['amount']}{example if t['example'] else ''}" for t in view["total"]]
            + [f"  {f['label']}: {f['amount']}{example if f['example'] else ''}" for f in view["fees"]]
            + [f"  {f['change']}" for f in view["fees"] if f["change"]],
        ),
        (
            "timing",
            [
                f"  {t['label']}" + (f" — {words.fill('ready_on', date=t['ready_on'])}" if t["ready_on"] else "")
                for t in view["timing"]
            ],
        ),
        (
            "office",
            [f"  {view['where']['name']}"] + [f"  {c['label']}: {c['value']}" for c in view["where"]["contact"]]
            if view["where"]
            else [],
        ),
        ("validity", [f"  {view['validity']}"] if view["validity"] else []),
        ("sources", [f"  {s['title']} ({words.fill('last_checked', date=s['checked'])})" for s in view["sources"]]),
    ]
    for key, rows in sections:
        if rows:
            lines += ["", f"{words[key]}:", *rows]
    return "\n".join(lines)


def golden_outcomes(content):
    """{procedure id: {"date": ..., "paths": {path key: semantic outcome}}} on GOLDEN_DATE."""
    return {
        pid: {
            "date": GOLDEN_DATE,
            "paths": {path_key(answers): outcome for answers, outcome in enumerate_paths(procedure, GOLDEN_DATE)},
        }
        for pid, procedure in content.procedures.items()
    }


def golden_text(data):
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def cmd_golden(args):
    content = load_content(ROOT, on=GOLDEN_DATE)
    stale = []
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for pid, data in golden_outcomes(content).items():
        path = GOLDEN_DIR / f"{pid}.json"
        new = golden_text(data)
        if not path.exists() or path.read_text(encoding="utf-8") != new:
            stale.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in sorted(GOLDEN_DIR.glob("*.json")):
        if path.stem not in content.procedures:
            stale.append(path)
            if not args.check:
                path.unlink()
    verb = "out of date" if args.check else "rewritten"
    for path in stale:
        print(f"{path.relative_to(ROOT)}: {verb}")
    print(f"{len(stale)} golden file(s) {verb}" if stale else "golden files are up to date")
    return 1 if (args.check and stale) else 0


def cmd_build(args):
    from pipeline.site import build_site

    try:
        with stopping_on_signals():
            report = build_site(
                ROOT,
                args.out,
                on=args.date,
                posts=args.post,
                langs=args.lang,
                base_url=args.base_url,
                processes=args.jobs,
                shard=args.shard,
            )
    except (*_site_failures(), KeyboardInterrupt) as error:
        return build_failure(error)
    kept = len(report.builds) - len(report.rebuilt)
    print(
        f"built {len(report.builds)} sites ({report.pages} pages) into {report.out} in {report.seconds:.1f} s"
        + (f" ({kept} unchanged, kept from the previous build)" if kept else "")
    )
    return 0


def cmd_merge(args):
    from pipeline.shards import ShardError, merge_shards

    try:
        with stopping_on_signals():
            count = merge_shards(ROOT, args.shards, args.out)
    except (*_site_failures(), ShardError, KeyboardInterrupt) as error:
        return build_failure(error)
    print(f"merged {count} sites from {len(args.shards)} shards into {args.out.resolve()}")
    return 0


def cmd_serve(args):
    from pipeline.site import serve_site

    try:
        with stopping_on_signals():
            serve_site(ROOT, print_serve_event, on=args.date, posts=args.post, port=args.port)
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM or SIGHUP: how serve is meant to stop
        return 0
    except _site_failures() as error:  # the first build failed: nothing to serve
        return build_failure(error, kept="nothing is served")
    return 0


def cmd_usb(args):
    from pipeline.usb import make_usb_copy

    try:
        with stopping_on_signals():
            report = make_usb_copy(ROOT, args.out, on=args.date, posts=args.post)
    except (*_site_failures(), KeyboardInterrupt) as error:
        return build_failure(error, kept="the previous copy (if any) is unchanged")
    build = report.build
    print(f"built {len(build.builds)} sites ({build.pages} pages) into {build.out} in {build.seconds:.1f} s")
    print(
        f"USB copy: {report.folder} ({report.files} files) and {report.archive} "
        f"({report.archive_bytes / 1e6:.1f} MB). Copy either onto the stick; open index.html."
    )
    return 0


# --- what the site commands print --------------------------------------------------------------


def _site_failures():
    """The errors of a build that are the user's to fix (ContentError is handled in `main`)."""
    from pipeline.outdir import OutputError
    from pipeline.site import SiteError

    return (SiteError, OutputError)


def build_failure(error, kept="the previous site (if any) is unchanged"):
    """Print, once and on one line, why a build did not complete; the exit status.

    2 for an output folder the build refuses (nothing was done), 128 + the signal for a build
    stopped by Ctrl-C, SIGTERM or SIGHUP, 1 for any other failure.
    """
    from pipeline.outdir import RefusedOutput

    if isinstance(error, RefusedOutput):
        print(error, file=sys.stderr)
        return 2
    if isinstance(error, KeyboardInterrupt):
        signum = getattr(error, "signum", signal.SIGINT)
        print(f"build stopped by {signal.Signals(signum).name}; {kept}.", file=sys.stderr)
        return 128 + signum
    print(f"build failed: {error}; {kept}.", file=sys.stderr)
    return 1


def print_serve_event(event):
    """`serve`'s reporter: one line per thing that happened, as it happens."""
    from pipeline.errors import ContentError
    from pipeline.site import BuildReport, RequestFailed, Serving

    if isinstance(event, BuildReport):
        print(f"built {event.pages} pages in {event.seconds:.1f} s", flush=True)
    elif isinstance(event, Serving):
        print(f"serving {event.url} (Ctrl-C to stop); watching {', '.join(event.watched)}", flush=True)
    elif isinstance(event, ContentError):
        print(event.report(), file=sys.stderr, flush=True)
    elif isinstance(event, RequestFailed):
        print(f"serve: could not answer a request: {event.reason}", file=sys.stderr, flush=True)
    elif isinstance(event, Exception):
        print(f"build failed: {event}; still serving the last good site.", file=sys.stderr, flush=True)
    else:  # Rebuilding
        print("change seen: rebuilding", flush=True)


class Stopped(KeyboardInterrupt):
    """Raised in the main thread by SIGTERM or SIGHUP, as Ctrl-C raises KeyboardInterrupt.

    The pipeline removes its working folders on the way out (`finally`), so a stopped build leaves
    nothing behind and the previous site in place.
    """

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def stopping_on_signals():
    """SIGTERM and SIGHUP stop the command as Ctrl-C does; the previous handlers come back after."""

    def stop(signum, frame):
        raise Stopped(signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    saved = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def cmd_screenshots(args):
    from pipeline.screenshots import ScreenshotError, take_screenshots

    content = load_content(ROOT, on=args.date)
    try:
        report = take_screenshots(content, args.site, args.out, posts=args.post)
    except ScreenshotError as error:
        print(f"screenshots failed: {error}", file=sys.stderr)
        return 1
    print(f"{len(report.files)} screenshots in {report.out}")
    return 0


def cmd_diff(args):
    import subprocess

    from pipeline.diff import diff_report

    try:
        report = diff_report(ROOT, args.base, args.date or datetime.date.today().isoformat())
    except subprocess.CalledProcessError as error:
        print(f"cannot read revision '{args.base}' with git: {error.stderr.decode().strip()}", file=sys.stderr)
        return 2
    print(report, end="")
    return 0


def cmd_translations(args):
    from pipeline.translations import export_catalog, import_catalog

    if args.action == "export":
        exported = export_catalog(ROOT, args.lang, on=args.date)
        counts = (
            f"{exported.texts} texts, {exported.untranslated} without translation, "
            f"{exported.fuzzy} fuzzy (translation not reviewed)"
        )
        if args.out == "-":
            sys.stdout.buffer.write(exported.data)
            print(f"{exported.lang}: {counts}", file=sys.stderr)
            return 0
        out = Path(args.out or f"{exported.lang}.po")
        try:
            out.write_bytes(exported.data)
        except OSError as error:
            print(f"cannot write {out}: {error.strerror}", file=sys.stderr)
            return 2
        print(f"wrote {out}: {counts}")
        return 0
    imported = import_catalog(ROOT, args.file, lang=args.lang)
    if not imported.texts and not imported.states:
        print(f"{args.file}: no translation changed")
    else:
        print(f"{args.file}: {imported.texts} translation{'s' if imported.texts != 1 else ''} changed")
        for name, count in sorted(imported.changed.items()):
            print(f"  {name}: {count} text{'s' if count != 1 else ''}")
        for name, old, new in imported.states:
            print(f"  {name}: translations: {imported.lang} {old} → {new}")
    if imported.missing:
        print(
            f"{imported.missing} text{'s' if imported.missing != 1 else ''} of the content "
            f"{'are' if imported.missing != 1 else 'is'} not in the file (new since its export): "
            f"export again to translate {'them' if imported.missing != 1 else 'it'}"
        )
    return 0


COMMANDS = {
    "diff": cmd_diff,
    "screenshots": cmd_screenshots,
    "check": cmd_check,
    "explain": cmd_explain,
    "golden": cmd_golden,
    "build": cmd_build,
    "serve": cmd_serve,
    "usb": cmd_usb,
    "merge": cmd_merge,
    "translations": cmd_translations,
}

if __name__ == "__main__":
    sys.exit(main())
