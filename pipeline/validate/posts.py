"""Meaning of a post (an office): its id, the procedures and sources it names, its texts."""

from .ids import check_ref
from .translations import check_translations


def check_post(doc, languages, source_ids, procedure_ids, result):
    data = doc.data
    if data["id"] != doc.path.stem:
        result.errors.append(
            doc.problem(
                ("id",),
                f"the id '{data['id']}' differs from the file name '{doc.path.name}'",
                f"rename the file to '{data['id']}.yaml' or set 'id: {doc.path.stem}'",
            )
        )
    for i, procedure in enumerate(data["procedures"]):
        check_ref(
            doc,
            ("procedures", i),
            procedure,
            procedure_ids,
            "procedure",
            result,
            "procedures are the files in procedures/",
        )
    for i, source in enumerate(data.get("sources", [])):
        check_ref(
            doc, ("sources", i), source, source_ids, "source", result, "sources are listed in content/sources.yaml"
        )
    check_translations(doc, languages, result)
