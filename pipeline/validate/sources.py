"""Sources: when each was last checked (a warning after a year)."""

from .base import parse_date

SOURCE_MAX_AGE_DAYS = 365


def check_sources_age(doc, on, result):
    today = parse_date(on)
    for i, source in enumerate(doc.data if isinstance(doc.data, list) else []):
        checked = parse_date(source.get("checked")) if isinstance(source, dict) else None
        if checked and today and (today - checked).days > SOURCE_MAX_AGE_DAYS:
            result.warnings.append(
                doc.problem(
                    (i, "checked"),
                    f"source '{source.get('id')}' was last checked on {checked}, more than a year before {today}",
                    "compare the content with the source again and update 'checked'",
                    severity="warning",
                )
            )
