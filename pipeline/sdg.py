"""The Single Digital Gateway items of a procedure: what Regulation (EU) 2018/1724 asks its page to say.

Article 10(1) lists what the information on a procedure covers, "where applicable": (a) the steps,
(b) the competent authority and its contact details, (c) the accepted means of identification,
authentication and signature, (d) the type and format of the evidence, (e) the avenues of redress
or appeal, (f) the fees and how to pay them, (g) the deadlines for the user and the authority or
the indicative processing time, (h) what happens if the authority does not respond, (i) the
languages in which the procedure can be completed. Article 9 adds references to the legal acts
(the legal basis) and the date of the last update.

The steps (routes), the authority (the post, or an office of the procedure) and, where a
procedure has them, its documents, fees and timing are the procedure's own data. The rest is its
`sdg:` block, one key per item (`ITEMS`), each given in one of five ways:

    {value: {nl: …}, source: seed-004}    a text (for `languages` a list of codes) from a source
    {value: …, example: true}             an example, marked as such wherever it shows
    {fact: payment}                       a fact each post gives (content/posts/<post>.yaml)
    {not_applicable: true}                the item does not apply to this procedure
    {unknown: true}                       no source says it: visitors are told to ask the post

    ITEMS                            the items of the `sdg:` block, in the order pages show them
    own_list(procedure, item)        True when the procedure's own data gives the item
    way_given(given)                 "value", "fact", "not_applicable", "unknown" (None: missing)
    reviewed(sources)                the date of the last review: the oldest `checked` date
    page_reviewed(content, post, …)  the same for a page of a post about some procedures
"""

from dataclasses import dataclass

from babel import Locale


@dataclass(frozen=True)
class Item:
    """One item of the `sdg:` block."""

    key: str  # its key under `sdg:`
    article: str  # where the regulation asks for it
    what: str  # "the procedure does not say <what>"
    label: str  # the key of its heading in content/ui.yaml
    own: str = ""  # the procedure's own list that gives it when not empty (documents, fees, timing)


ITEMS = (
    Item(
        "identification",
        "Art. 10(1)(c)",
        "which means of identification, authentication and signature it accepts",
        "sdg_identification",
    ),
    Item("documents", "Art. 10(1)(d)", "which evidence to provide", "documents", own="documents"),
    Item("redress", "Art. 10(1)(e)", "the avenues of redress or appeal", "sdg_redress"),
    Item("fees", "Art. 10(1)(f)", "what it costs", "fees", own="fees"),
    Item("payment", "Art. 10(1)(f)", "how to pay", "sdg_payment"),
    Item("timing", "Art. 10(1)(g)", "its deadlines or how long it takes", "timing", own="timing"),
    Item("no_response", "Art. 10(1)(h)", "what happens if the authority does not respond", "sdg_no_response"),
    Item("languages", "Art. 10(1)(i)", "in which languages it can be completed", "sdg_languages"),
    Item("legal_basis", "Art. 9", "its legal basis", "sdg_legal_basis"),
)
WAYS = ("value", "fact", "not_applicable", "unknown")


def own_list(procedure, item):
    """True when the procedure's own lists give `item` (documents, fees or costs, timing anywhere)."""
    if item.own == "documents":
        return bool(procedure.get("documents"))
    if item.own == "fees":
        return bool(procedure.get("fees") or procedure.get("costs"))
    if item.own == "timing":
        return bool(procedure.get("timing") or any(route.get("timing") for route in procedure.get("routes", [])))
    return False


def way_given(given):
    """How an item of the `sdg:` block is given: "value" (with source or example), "fact",
    "not_applicable" or "unknown"; None when it is not there (`check` warns)."""
    if not isinstance(given, dict):
        return None
    for way in ("fact", "not_applicable", "unknown"):
        if given.get(way):
            return way
    return "value" if "value" in given else None


def reviewed(sources):
    """The date (ISO) the information was last reviewed: the oldest `checked` date of its sources,
    so that every fact on the page was compared with its source on that day or later."""
    dates = [str(source["checked"]) for source in sources if source.get("checked")]
    return min(dates) if dates else None


def page_reviewed(content, post, procedure_ids, source_ids=()):
    """The last review (ISO) of a page about `procedure_ids` on `post`'s site: the oldest `checked`
    date of the sources the post, those procedures and `source_ids` cite."""
    cited = set(post.get("sources", [])) | set(source_ids)
    for pid in procedure_ids:
        cited |= {source["id"] for source in content.procedures[pid]["sources"]}
    return reviewed([content.sources[sid] for sid in sorted(cited) if sid in content.sources])


def language_names(codes, lang):
    """The names of language codes (BCP 47) in `lang`, from CLDR: ["Nederlands", "Frans"]."""
    names = Locale.parse(lang).languages
    return [names.get(code.replace("-", "_"), names.get(code.split("-")[0], code)) for code in codes]
