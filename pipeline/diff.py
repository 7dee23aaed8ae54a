"""What a change to the content does for visitors: `build.py diff BASE`, as Markdown.

The content of the git revision BASE and of the work tree are both loaded with the current code,
every answer path of every procedure is evaluated on the build date and on every date a fee
changes, and the semantic outcomes are compared path by path. Changes are grouped ("fee
adult-standard 70.00 → 75.00 EUR from 2027-01-01, on 3 paths"), with the answers the affected
paths share. Translated texts are compared per language, addressed by ids rather than positions.
"""

import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from wizard.paths import enumerate_paths, path_key

from .model import load_content
from .validate import text_mappings

CONTENT_DIRS = ("procedures", "content")
MAX_LISTED_PATHS = 4


def export_revision(root, revision, target):
    """Write the content folders of git `revision` into `target` (raises CalledProcessError)."""
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", revision, *CONTENT_DIRS], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def diff_report(root, base, on):
    """Markdown describing what changes between `base` (a git revision) and the work tree."""
    with tempfile.TemporaryDirectory(prefix="diff-base-") as tmp:
        export_revision(root, base, tmp)
        old = load_content(Path(tmp), on=on)
    new = load_content(root, on=on)
    sections = [
        f"# What this change does for visitors\n\nCompared with `{base}`, on {on} and on every date a fee changes."
    ]
    for pid in sorted(set(old.procedures) | set(new.procedures)):
        section = procedure_section(old.procedures.get(pid), new.procedures.get(pid), on)
        if section:
            sections.append(section)
    texts = text_changes(old, new)
    if texts:
        sections.append("## Texts\n\n" + "\n".join(texts))
    if len(sections) == 1:
        sections.append("No answer and no text changes.")
    return "\n\n".join(sections) + "\n"


def procedure_section(old, new, on):
    title = (new or old)["title"]
    pid = (new or old)["id"]
    heading = f"## {pid}: {next(iter(title.values()))}"
    if old is None:
        return f"{heading}\n\n- new procedure, {len(enumerate_paths(new, on))} answer paths"
    if new is None:
        return f"{heading}\n\n- procedure removed"
    changes = outcome_changes(old, new, on)
    if not changes:
        return ""
    return heading + "\n\n" + "\n".join(changes)


def change_dates(old, new, on):
    dates = {on}
    for procedure in (old, new):
        for fee in procedure.get("fees", []):
            dates.update(v["from"] for v in fee["values"] if v["from"] > on)
    return sorted(dates)


def outcome_changes(old, new, on):
    """Grouped outcome differences, each with the date it starts and the paths it affects."""
    groups = {}  # description -> (first date, set of path keys)
    all_new_paths = {}
    for date in change_dates(old, new, on):
        before = {path_key(a): (a, o) for a, o in enumerate_paths(old, date)}
        after = {path_key(a): (a, o) for a, o in enumerate_paths(new, date)}
        all_new_paths.update(after)
        for key in sorted(set(before) | set(after)):
            if key not in after:
                found = ["answer path removed"]
            elif key not in before:
                found = ["new answer path"]
            else:
                found = compare_outcomes(before[key][1], after[key][1])
            for description in found:
                first, keys = groups.setdefault(description, (date, set()))
                keys.add(key)
    lines = []
    for description, (date, keys) in sorted(groups.items(), key=lambda item: (item[1][0], item[0])):
        when = "" if date == on else f" from {date}"
        lines.append(
            f"- {description}{when}, on {len(keys)} path{'s' if len(keys) != 1 else ''}"
            f"{describe_paths(keys, all_new_paths)}"
        )
    return lines


def compare_outcomes(before, after):
    if before["status"] != "outcome" or after["status"] != "outcome":
        if before.get("status") != after.get("status"):
            return [f"result {before['status']} → {after['status']}"]
        return []
    found = []
    if before["route"] != after["route"]:
        found.append(f"route `{before['route']}` → `{after['route']}`")
    for key, what in (("documents", "document"), ("steps", "step"), ("warnings", "warning")):
        found += [f"{what} `{item}` added" for item in after[key] if item not in before[key]]
        found += [f"{what} `{item}` removed" for item in before[key] if item not in after[key]]
    old_fees = {f["id"]: f for f in before["fees"]}
    new_fees = {f["id"]: f for f in after["fees"]}
    for fid in sorted(set(old_fees) | set(new_fees)):
        a, b = old_fees.get(fid), new_fees.get(fid)
        if a is None:
            found.append(f"fee `{fid}` added: {b['amount']} {b['currency']}")
        elif b is None:
            found.append(f"fee `{fid}` removed (was {a['amount']} {a['currency']})")
        elif (a["amount"], a["currency"]) != (b["amount"], b["currency"]):
            found.append(f"fee `{fid}` {a['amount']} → {b['amount']} {b['currency']}")
        elif a["example"] != b["example"]:
            found.append(f"fee `{fid}` {'now' if b['example'] else 'no longer'} marked as an example value")
    if before["timing"] != after["timing"]:
        found.append(f"timing {_timing(before['timing'])} → {_timing(after['timing'])}")
    if before["validity"] != after["validity"]:
        found.append(f"validity {_years(before['validity'])} → {_years(after['validity'])}")
    if before["office"] != after["office"]:
        found.append(f"office `{before['office']}` → `{after['office']}`")
    return found


def _timing(items):
    return (
        ", ".join(
            f"{t['id']} "
            + " ".join(f"{t[u]} {u.replace('_', ' ')}" for u in ("working_days", "days", "weeks") if u in t)
            for t in items
        )
        or "none"
    )


def _years(validity):
    return f"{validity['years']} years" if validity else "none"


def describe_paths(keys, all_paths):
    """The answers shared by the affected paths when exactly those paths share them, else a sample."""
    answer_sets = [set(all_paths[k][0]) if k in all_paths else set() for k in keys]
    common = set.intersection(*answer_sets) if answer_sets else set()
    if common:
        sharing = {k for k, (answers, _) in all_paths.items() if common <= set(answers)}
        if sharing == set(keys):
            return " (" + ", ".join(f"{q}={o}" for q, o in sorted(common)) + ")"
    listed = sorted(keys)[:MAX_LISTED_PATHS]
    more = len(keys) - len(listed)
    return ": " + "; ".join(f"`{k}`" for k in listed) + (f"; and {more} more" if more > 0 else "")


def text_changes(old, new):
    """Per language, each text that was added, removed or changed, addressed by ids."""
    lines = []
    before, after = _texts(old), _texts(new)
    for lang in new.languages:
        changed = []
        for address in sorted(set(before) | set(after)):
            a, b = before.get(address, {}).get(lang), after.get(address, {}).get(lang)
            if a == b:
                continue
            if a is None:
                changed.append(f"  - `{address}` added: “{b}”")
            elif b is None:
                changed.append(f"  - `{address}` removed (was “{a}”)")
            else:
                changed.append(f"  - `{address}`: “{a}” → “{b}”")
        if changed:
            lines.append(f"- **{lang}**: {len(changed)} text{'s' if len(changed) != 1 else ''} changed")
            lines += changed
    return lines


def _texts(content):
    found = {}
    for group, items in (("procedures", content.procedures), ("posts", content.posts), ("pages", content.pages)):
        for item_id, data in items.items():
            for path, mapping in text_mappings(_by_id(data), ()):
                found[f"{group}/{item_id}: " + ".".join(map(str, path))] = mapping
    for path, mapping in text_mappings(_by_id(content.ui), ()):
        found["ui: " + ".".join(map(str, path))] = mapping
    return found


def _by_id(value):
    """Lists of items with ids become mappings keyed by id, so addresses survive reordering."""
    if isinstance(value, dict):
        return {k: _by_id(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and "id" in v for v in value):
            return {v["id"]: _by_id(v) for v in value}
        return {str(i): _by_id(v) for i, v in enumerate(value)}
    return value
