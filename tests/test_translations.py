"""`build.py translations export/import`: the texts go out as a gettext PO file and come back into
the YAML in place: unchanged, every byte stays; changed, exactly the translated texts change.

The shipped content is exercised by round trips that hold whatever its texts say; the styles of
writing (quotes, blocks, anchors, insertions, line ends) and the error messages are pinned on a
small sample file below, whose bytes the tests know.
"""

import io
import shutil
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import ROOT

from build import GOLDEN_DATE
from pipeline.load import load_yaml
from pipeline.model import load_content
from pipeline.translations import TranslationError, export_catalog, import_catalog, read_content
from pipeline.validate import text_mappings

LANGUAGES = ("fr", "de", "en")


def copy_content(target):
    for folder in ("procedures", "content", "schema"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def snapshot(root):
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for pattern in ("procedures/*.yaml", "content/**/*.yaml")
        for p in sorted(root.glob(pattern))
    }


def exported(root, lang):
    return read_po(io.BytesIO(export_catalog(root, lang, on=GOLDEN_DATE).data))


def save(catalog, path):
    out = io.BytesIO()
    write_po(out, catalog)
    path.write_bytes(out.getvalue())
    return path


def changed_lines(before, after):
    """{file: [(line number, old line, new line)]} for files whose lines changed one for one."""
    found = {}
    for name in before:
        if before[name] == after[name]:
            continue
        old, new = before[name].decode().split("\n"), after[name].decode().split("\n")
        assert len(old) == len(new), f"{name}: lines were added or removed"
        found[name] = [(i + 1, a, b) for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    return found


@pytest.fixture
def shipped(tmp_path):
    return copy_content(tmp_path / "site")


# --- the shipped content ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_export_then_import_without_change_leaves_every_file_byte_identical(shipped, tmp_path, lang):
    before = snapshot(shipped)
    po = tmp_path / f"{lang}.po"
    po.write_bytes(export_catalog(shipped, lang, on=GOLDEN_DATE).data)
    result = import_catalog(shipped, po)
    assert (result.texts, result.states, result.missing) == (0, [], 0)
    assert snapshot(shipped) == before
    # A translation tool rewrites the file (its own line wrapping, header): still nothing changes.
    save(read_po(io.BytesIO(po.read_bytes())), po)
    import_catalog(shipped, po, lang=lang)
    assert snapshot(shipped) == before


def test_every_text_of_the_content_is_one_entry_with_its_source_and_translation(shipped):
    """Checked against the build's own walk of the loaded data (which writes aliases out in full)."""
    catalog = exported(shipped, "fr")
    entries = [m for m in catalog if m.id]
    assert len({m.context for m in entries}) == len(entries)
    pairs = {(m.id, m.string) for m in entries}
    expected = set()
    for path in sorted(shipped.glob("procedures/*.yaml")) + sorted(shipped.glob("content/**/*.yaml")):
        data = load_yaml(path).data
        for key_path, mapping in text_mappings(data, ()):
            if key_path != ("translations",):
                expected.add((mapping["nl"], mapping.get("fr", "")))
    assert pairs == expected
    files = {m.context.split(":")[0] for m in entries}
    assert {"content/ui.yaml", "content/site.yaml"} <= files
    assert any(f.startswith("content/pages/") for f in files) and any(f.startswith("content/posts/") for f in files)
    assert any(f.startswith("procedures/") for f in files)


def test_addresses_use_ids_and_the_review_state_of_the_file(shipped, content):
    catalog = exported(shipped, "fr")
    procedure = content.procedures["passport"]
    question = procedure["questions"][0]
    entry = catalog.get(question["text"]["nl"], context=f"procedures/passport.yaml:questions[{question['id']}].text")
    assert entry is not None and entry.string == question["text"]["fr"]
    option = question["options"][0]
    context = f"procedures/passport.yaml:questions[{question['id']}].options[{option['id']}].label"
    assert catalog.get(option["label"]["nl"], context=context).string == option["label"]["fr"]
    state = procedure["translations"]["fr"]
    assert entry.fuzzy == (state == "unreviewed")
    assert f"review state in procedures/passport.yaml: {state}" in entry.auto_comments
    # The catalogue records no review state: never fuzzy; a placeholder is flagged and explained.
    footer = next(m for m in catalog if m.context == "content/ui.yaml:site.footer")
    assert not footer.fuzzy and "python-brace-format" in footer.flags
    assert "keep {date} as written: the site fills it in" in footer.auto_comments
    # A list without ids (a page's paragraphs) is addressed by position, from 1.
    assert any(m.context.endswith(".paragraphs[2]") for m in catalog if m.context)


def test_changed_translations_land_in_exactly_their_places(shipped, tmp_path):
    before = snapshot(shipped)
    catalog = exported(shipped, "fr")
    entries = [m for m in catalog if m.id]
    aliased = next(m for m in entries if any(c.startswith("also used at") for c in m.auto_comments))
    placeholder = next(m for m in entries if "python-brace-format" in m.flags and m.context.startswith("content/ui"))
    plain = next(m for m in entries if m.context.startswith("procedures/") and m.context.endswith(".text"))
    new = {
        aliased.context: "Déclarez d'abord la perte : c'est obligatoire.",
        placeholder.context: placeholder.string + " (nouveau)",
        plain.context: "Une question reformulée",
    }
    for message in entries:
        message.string = new.get(message.context, message.string)
    result = import_catalog(shipped, save(catalog, tmp_path / "fr.po"))
    assert result.texts == 3

    lines = changed_lines(before, snapshot(shipped))
    assert sum(len(v) for v in lines.values()) == 3, lines
    written = {b.strip() for rows in lines.values() for _, _, b in rows}
    # ': ' cannot stand in a plain text: quoted; a text that can stays plain.
    assert "fr: \"Déclarez d'abord la perte : c'est obligatoire.\"" in written
    assert "fr: Une question reformulée" in written
    assert any(w.startswith("fr:") and w.endswith(' (nouveau)"') for w in written)

    # The content still checks, and the aliased text changed at every place that repeats it.
    loaded = load_content(shipped, on=GOLDEN_DATE)
    pid = aliased.context.split(":")[0].removeprefix("procedures/").removesuffix(".yaml")
    texts = [m["fr"] for _, m in text_mappings(loaded.procedures[pid], ()) if m.get("nl") == aliased.id]
    assert len(texts) >= 2 and set(texts) == {new[aliased.context]}


def test_clearing_every_fuzzy_flag_of_a_file_marks_it_reviewed_and_one_flag_marks_it_unreviewed(shipped, tmp_path):
    content = load_content(shipped, on=GOLDEN_DATE)
    unreviewed = next(p for p, d in content.procedures.items() if d["translations"].get("fr") == "unreviewed")
    prefix = f"procedures/{unreviewed}.yaml:"
    catalog = exported(shipped, "fr")
    for message in catalog:
        if message.context and message.context.startswith(prefix):
            message.flags.discard("fuzzy")
    result = import_catalog(shipped, save(catalog, tmp_path / "fr.po"))
    assert result.texts == 0 and result.states == [(f"procedures/{unreviewed}.yaml", "unreviewed", "reviewed")]
    assert load_content(shipped, on=GOLDEN_DATE).procedures[unreviewed]["translations"]["fr"] == "reviewed"

    catalog = exported(shipped, "fr")
    next(m for m in catalog if m.context and m.context.startswith(prefix)).flags.add("fuzzy")
    import_catalog(shipped, save(catalog, tmp_path / "fr.po"))
    assert load_content(shipped, on=GOLDEN_DATE).procedures[unreviewed]["translations"]["fr"] == "unreviewed"


# --- writing styles, on a sample file -----------------------------------------------------------

SITE = "languages: [nl, fr, de]\n"
SAMPLE = """\
# A comment that stays.
id: sample
translations: {nl: source, fr: unreviewed, de: reviewed}
title:
  nl: Titel   # a comment after a text
  fr: 'Titre'
  de: Titel
items:
  - id: first
    label: &shared {nl: Eén, fr: Un, de: Eins}
  - id: second
    label: *shared
  - note:
      nl: Zonder id
      fr: "Sans id"
      de: Ohne ID
body:
  nl: |
    Regel een
    Regel twee
  fr: |
    Ligne un
    Ligne deux

  de: >-
    Zeile
    eins
missing:
  nl: Alleen Nederlands
  de: Nur Deutsch
short: {nl: Kort, de: Kurz}
rate: {nl: 50% de eerste keer, fr: 50% de réduction, de: 50% beim ersten Mal}
"""


def sample_root(tmp_path, sample=SAMPLE, newline="\n"):
    root = tmp_path / "sample"
    (root / "content").mkdir(parents=True)
    (root / "procedures").mkdir()
    (root / "content" / "site.yaml").write_text(SITE)
    (root / "procedures" / "sample.yaml").write_bytes(sample.replace("\n", newline).encode())
    return root


def translate(root, tmp_path, lang, new, clear_fuzzy=False):
    catalog = exported(root, lang)
    for message in catalog:
        if message.context in new:
            message.string = new[message.context]
        if clear_fuzzy:
            message.flags.discard("fuzzy")
    return import_catalog(root, save(catalog, tmp_path / f"{lang}.po"))


def test_the_sample_exports_one_entry_per_text_aliases_once(tmp_path):
    catalog = exported(sample_root(tmp_path), "fr")
    found = [(m.context, m.id, m.string, m.fuzzy) for m in catalog if m.id]
    assert found == [
        ("procedures/sample.yaml:title", "Titel", "Titre", True),
        ("procedures/sample.yaml:items[first].label", "Eén", "Un", True),
        ("procedures/sample.yaml:items[3].note", "Zonder id", "Sans id", True),
        ("procedures/sample.yaml:body", "Regel een\nRegel twee\n", "Ligne un\nLigne deux\n", True),
        ("procedures/sample.yaml:missing", "Alleen Nederlands", "", False),
        ("procedures/sample.yaml:short", "Kort", "", False),
        ("procedures/sample.yaml:rate", "50% de eerste keer", "50% de réduction", True),
    ]
    assert b"python-format" not in export_catalog(sample_root(tmp_path / "again"), "fr").data  # no guess from '% d'

    label = next(m for m in catalog if m.context == "procedures/sample.yaml:items[first].label")
    assert "also used at items[second].label" in label.auto_comments
    assert [m.fuzzy for m in exported(sample_root(tmp_path / "de"), "de") if m.id] == [False] * 7


def test_each_text_keeps_its_style_unless_the_new_text_cannot_be_written_so(tmp_path):
    root = sample_root(tmp_path)
    result = translate(
        root,
        tmp_path,
        "fr",
        {
            "procedures/sample.yaml:title": "L'intitulé",
            "procedures/sample.yaml:items[first].label": "Un, premier",
            "procedures/sample.yaml:items[3].note": 'Sans "id"',
            "procedures/sample.yaml:body": "Ligne un\nLigne deux, changée\n",
            "procedures/sample.yaml:missing": "Seulement: néerlandais",
            "procedures/sample.yaml:short": "Court",
        },
        clear_fuzzy=True,
    )
    assert result.changed == {"procedures/sample.yaml": 6}
    assert result.states == [("procedures/sample.yaml", "unreviewed", "reviewed")]
    assert (root / "procedures" / "sample.yaml").read_text() == SAMPLE.replace(
        "fr: unreviewed", "fr: reviewed"
    ).replace("fr: 'Titre'", "fr: 'L''intitulé'").replace("fr: Un,", 'fr: "Un, premier",').replace(
        'fr: "Sans id"', 'fr: "Sans \\"id\\""'
    ).replace("    Ligne deux\n", "    Ligne deux, changée\n").replace(
        "  nl: Alleen Nederlands\n", '  nl: Alleen Nederlands\n  fr: "Seulement: néerlandais"\n'
    ).replace("{nl: Kort, de: Kurz}", "{nl: Kort, fr: Court, de: Kurz}")


def test_a_folded_block_stays_folded_and_keeps_its_chomping(tmp_path):
    root = sample_root(tmp_path)
    translate(root, tmp_path, "de", {"procedures/sample.yaml:body": "Zeile zwei"})
    assert "  de: >-\n    Zeile zwei\nmissing:" in (root / "procedures" / "sample.yaml").read_text()


def test_windows_line_ends_stay(tmp_path):
    root = sample_root(tmp_path, newline="\r\n")
    translate(
        root, tmp_path, "fr", {"procedures/sample.yaml:missing": "Seulement", "procedures/sample.yaml:body": "A\nB\n"}
    )
    text = (root / "procedures" / "sample.yaml").read_bytes().decode()
    assert "\n" not in text.replace("\r\n", "")
    assert "  nl: Alleen Nederlands\r\n  fr: Seulement\r\n  de: Nur Deutsch\r\n" in text
    assert "  fr: |\r\n    A\r\n    B\r\n\r\n  de: >-" in text


# --- errors: reported with the PO file's line; nothing changes ----------------------------------

EXPECTED_ERRORS = {
    "unknown address": (
        lambda po: po.replace('msgctxt "procedures/sample.yaml:title"', 'msgctxt "procedures/sample.yaml:titel"'),
        "fr.po:{title}:1: no text has the address 'procedures/sample.yaml:titel' in the content — did you mean "
        "'procedures/sample.yaml:title'? a text moved or removed since the export: export again "
        "(build.py translations export --lang fr) and copy the translation over",
    ),
    "source changed since the export": (
        lambda po: po.replace('msgid "Titel"', 'msgid "Oude titel"'),
        "fr.po:{title}:1: the nl text of 'procedures/sample.yaml:title' changed since the export "
        "(procedures/sample.yaml:5 now says “Titel”) — export again (build.py translations export --lang fr) "
        "and translate the new text",
    ),
    "a placeholder lost": (
        lambda po: po.replace('msgid "Titel"\nmsgstr "Titre"', 'msgid "Titel"\nmsgstr "Titre {name}"'),
        "fr.po:{title}:1: the translation of 'procedures/sample.yaml:title' has the placeholders {name}, the nl "
        "text none — keep every {placeholder} of the original, spelt the same; the site fills them in",
    ),
    "an unclosed quote": (
        lambda po: po.replace('msgstr "Titre"', 'msgstr "Titre'),
        "fr.po:{title+1}:1: the file is not a valid PO file: the quoted text is not closed, or has a quote inside "
        '— texts are between quotes; write \\" for a quote inside',
    ),
    "a stray line": (
        lambda po: po.replace('msgstr "Titre"', 'msgstr "Titre"\nTitre bis'),
        "fr.po:{title+2}:1: the file is not a valid PO file: this line is not a comment, a msgctxt/msgid/msgstr "
        "line or a quoted text — remove it or put '#' before it",
    ),
    "an entry twice": (
        lambda po: po + '\nmsgctxt "procedures/sample.yaml:title"\nmsgid "Titel"\nmsgstr "Titre"\n',
        "fr.po:{end+1}:1: the text 'procedures/sample.yaml:title' is in the file twice — keep one of them (also on "
        "line {title-1})",
    ),
    "an entry without its address": (
        lambda po: po.replace('msgctxt "procedures/sample.yaml:title"\n', ""),
        "fr.po:{title-1}:1: the entry for “Titel” has no msgctxt (the address of its text in the YAML) — keep the "
        "msgctxt lines the export wrote (build.py translations export --lang fr)",
    ),
    "a plural entry": (
        lambda po: po.replace('msgid "Titel"\nmsgstr "Titre"', 'msgid "Titel"\nmsgid_plural "Titels"\nmsgstr[0] "T"'),
        "fr.po:{title}:1: a plural entry (msgid_plural): the content has no plural texts — remove the entry",
    ),
    "no language": (
        lambda po: po.replace('"Language: fr\\n"\n', ""),
        "fr.po:{header}:1: the file names no language: its header has no 'Language:' line — export it with "
        'build.py translations export --lang LANG, which writes one, or add "Language: fr\\n" to the header',
    ),
    "the source language": (
        lambda po: po.replace('"Language: fr\\n"', '"Language: nl\\n"'),
        "fr.po:{header}:1: 'nl' is the source language: its texts are the originals, not translations — change nl "
        "texts in the YAML itself; translations are in fr, de",
    ),
    "a language the site does not have": (
        lambda po: po.replace('"Language: fr\\n"', '"Language: es\\n"'),
        "fr.po:{header}:1: 'es' is not a language of this site (nl, fr, de) — use one of fr, de, or add 'es' to the "
        "languages in content/site.yaml first",
    ),
}


def po_lines(po):
    lines = po.split("\n")
    title = lines.index('msgid "Titel"') + 1
    header = lines.index('msgid ""') + 1
    return {"title": title, "title+1": title + 1, "title+2": title + 2, "title-1": title - 1, "header": header} | {
        "end+1": len(lines) + 1
    }


@pytest.mark.parametrize("case", EXPECTED_ERRORS)
def test_a_broken_file_is_reported_with_its_line_and_changes_nothing(tmp_path, case):
    root = sample_root(tmp_path)
    before = snapshot(root)
    po = export_catalog(root, "fr", on=GOLDEN_DATE).data.decode()
    edit, expected = EXPECTED_ERRORS[case]
    lines = po_lines(po)
    for name, number in lines.items():
        expected = expected.replace(f"{{{name}}}", str(number))
    broken = edit(po)
    broken = broken.replace('msgid "Eén"\nmsgstr "Un"', 'msgid "Eén"\nmsgstr "Une"')  # a good change beside it
    (tmp_path / "fr.po").write_text(broken)
    with pytest.raises(TranslationError) as raised:
        import_catalog(root, tmp_path / "fr.po")
    assert [str(p).replace(str(tmp_path) + "/", "") for p in raised.value.problems] == [expected]
    assert snapshot(root) == before


def test_a_file_for_another_language_is_refused(tmp_path):
    root = sample_root(tmp_path)
    (tmp_path / "de.po").write_bytes(export_catalog(root, "de").data)
    with pytest.raises(TranslationError) as raised:
        import_catalog(root, tmp_path / "de.po", lang="fr")
    assert raised.value.problems[0].message == "the file is for 'de', not 'fr'"


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    root = sample_root(tmp_path)
    po = export_catalog(root, "fr").data.replace(b"Titre", "Titré".encode("latin-1"))
    (tmp_path / "fr.po").write_bytes(po)
    with pytest.raises(TranslationError) as raised:
        import_catalog(root, tmp_path / "fr.po")
    assert "the file is not UTF-8 text: the byte 0xE9 is no UTF-8 character" in str(raised.value.problems[0])


def test_a_yaml_file_that_does_not_load_is_reported_as_check_reports_it(tmp_path):
    root = sample_root(tmp_path, sample=SAMPLE.replace("  de: Titel\n", "  de: Titel\n  de: Titel\n"))
    with pytest.raises(TranslationError) as raised:
        read_content(root)
    assert str(raised.value.problems[0]).startswith("procedures/sample.yaml:8:3: duplicate key 'de'")


# --- the command line ---------------------------------------------------------------------------


def run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_the_commands_export_and_import_the_shipped_content_without_change(tmp_path):
    before = snapshot(ROOT)
    result = run("translations", "export", "--lang", "de", "--out", str(tmp_path / "de.po"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {tmp_path / 'de.po'}: ")
    result = run("translations", "import", str(tmp_path / "de.po"), "--lang", "de")
    assert (result.returncode, result.stdout) == (0, f"{tmp_path / 'de.po'}: no translation changed\n")
    assert snapshot(ROOT) == before
    result = run("translations", "import", str(tmp_path / "de.po"), "--lang", "fr")
    assert result.returncode == 1
    assert result.stderr.endswith("1 error found; no file was changed.\n")
