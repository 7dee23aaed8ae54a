"""Reports for editors: translation completeness and review status per language, stale sources."""

from .validate import text_mappings


def translation_report(content):
    """Rows per language: texts present/total, and which procedures are source, reviewed, unreviewed."""
    texts = []
    for group in (content.procedures, content.posts, content.pages):
        for data in group.values():
            texts += [mapping for _, mapping in text_mappings(data, ())]
    texts += [mapping for _, mapping in text_mappings(content.ui, ())]
    rows = []
    for lang in content.languages:
        status = {}
        for pid, procedure in content.procedures.items():
            status.setdefault(procedure["translations"].get(lang, "missing"), []).append(pid)
        present = sum(1 for mapping in texts if mapping.get(lang))
        rows.append(
            {
                "lang": lang,
                "present": present,
                "total": len(texts),
                **{key: sorted(status.get(key, [])) for key in ("source", "reviewed", "unreviewed", "missing")},
            }
        )
    return rows


def format_translation_report(rows):
    lines = ["translations:"]
    for row in rows:
        parts = [f"{row['present']}/{row['total']} texts"]
        for key in ("source", "reviewed", "unreviewed", "missing"):
            if row[key]:
                parts.append(f"{key}: {', '.join(row[key])}")
        lines.append(f"  {row['lang']}: " + "; ".join(parts))
    return "\n".join(lines)
