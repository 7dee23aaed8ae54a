"""Structured data for a procedure page: a schema.org `GovernmentService`, as JSON-LD.

Search engines and assistants read it from a `<script type="application/ld+json">` data block
(escaped with wizard.presentation.json_script; a browser never runs it, so the page's
Content-Security-Policy needs no hash for it: pipeline/csp.py). Everything in it comes from the
YAML, in the page's language, through the same model the page shows:

    GovernmentService     name, description (the summary), identifier (the procedure's id)
      provider            the post: GovernmentOrganization with its name and known contact details
      areaServed          the post's countries (Country: ISO code and name)
      audience            who may apply (Audience.audienceType)
      availableChannel    ServiceChannel: where (serviceLocation: the post, its city and address),
                          serviceUrl (appointments, else website), servicePhone, servicePostalAddress,
                          processingTime (ISO 8601) when the post knows its delivery time, and
                          availableLanguage when the procedure's `sdg: languages` is known
      offers              one Offer per fee the post's pages charge on the build date: price and
                          priceCurrency, validFrom, validThrough when a change is scheduled, and
                          the scheduled amount as an Offer of its own

Only facts given with a source appear: a value marked `example: true` (an example e-mail address,
an example fee) or `unknown: true` is left out, so no machine ever reads an example as a fact.
An example fee is an Offer with its name and no price.

    government_service(procedure, post, words, paths) -> dict    the JSON-LD object of one page
    iso_duration(duration) -> "P11D"                             a delay as an ISO 8601 duration
"""

import datetime
import math

from .sdg import way_given

SCHEMA_ORG = "https://schema.org"


def government_service(procedure, post, words, paths):
    """The `GovernmentService` of `procedure` as `post` offers it, in the language of `words` (the
    post's words: texts read with its facts). `paths`: the engine's [(answers, outcome)] on the build
    date, whose charged fees become the offers."""
    service = {
        "@context": SCHEMA_ORG,
        "@type": "GovernmentService",
        "identifier": procedure["id"],
        "name": words.text(procedure["title"]),
        "description": words.text(procedure.get("summary")),
        "provider": _provider(post, words),
        "areaServed": [
            {"@type": "Country", "identifier": country["code"], "name": words.text(country["name"])}
            for country in post["countries"]
        ],
        "audience": {"@type": "Audience", "audienceType": words.text(procedure.get("who"))},
        "availableChannel": _channel(procedure, post, words),
    }
    offers = _offers(procedure, words, paths)
    if offers:
        service["offers"] = offers
    return service


def iso_duration(duration):
    """A delay as an ISO 8601 duration: weeks and days as they are; working days as the calendar days
    they can span with their weekends (n + 2·⌈n/5⌉: 7 working days from a Thursday end 11 days later).
    Public holidays, which differ per post and year, are not counted."""
    if "weeks" in duration:
        return f"P{duration['weeks']}W"
    if "days" in duration:
        return f"P{duration['days']}D"
    days = duration["working_days"]
    return f"P{days + 2 * math.ceil(days / 5)}D"


def known(post, name, words):
    """The post's fact `name` when a source gives it: plain text (a per-language text in the page's
    language), a duration mapping as given; None when it is unknown, an example, or not given."""
    for group in ("contact", "facts"):
        given = (post.get(group) or {}).get(name)
        if given is None:
            continue
        if given.get("unknown") or given.get("example") or "value" not in given:
            return None
        value = given["value"]
        if isinstance(value, dict) and name != "processing_time":
            return words.text(value)
        return value
    return None


def _provider(post, words):
    organization = {"@type": "GovernmentOrganization", "name": words.text(post["name"])}
    for fact, prop in (("phone", "telephone"), ("email", "email"), ("website", "url")):
        value = known(post, fact, words)
        if value:
            organization[prop] = value
    address = _address(post, words)
    if address:
        organization["address"] = address
    return organization


def _address(post, words):
    """The post's PostalAddress: its visiting address and city, as far as they are known."""
    address = {"@type": "PostalAddress"}
    street = known(post, "address", words)
    if street:
        address["streetAddress"] = street
    if post.get("city"):
        address["addressLocality"] = words.text(post["city"])
    return address if len(address) > 1 else None


def _channel(procedure, post, words):
    channel = {"@type": "ServiceChannel", "serviceLocation": {"@type": "Place", "name": words.text(post["name"])}}
    address = _address(post, words)
    if address:
        channel["serviceLocation"]["address"] = address
    url = known(post, "appointments", words) or known(post, "website", words)
    if url:
        channel["serviceUrl"] = url
    phone = known(post, "phone", words)
    if phone:
        channel["servicePhone"] = {"@type": "ContactPoint", "telephone": phone}
    postal = known(post, "postal_address", words)
    if postal:
        channel["servicePostalAddress"] = {"@type": "PostalAddress", "streetAddress": postal}
    delay = known(post, "processing_time", words) if _uses_processing_time(procedure) else None
    if delay:
        channel["processingTime"] = iso_duration(delay)
    languages = _languages(procedure, post, words)
    if languages:
        channel["availableLanguage"] = languages
    return channel


def _uses_processing_time(procedure):
    timing = list(procedure.get("timing", []))
    for route in procedure.get("routes", []):
        timing += route.get("timing", [])
    return any(item.get("duration") == "processing_time" for item in timing)


def _languages(procedure, post, words):
    """The languages the procedure can be completed in: codes from `sdg: languages`, or the post's fact."""
    given = procedure.get("sdg", {}).get("languages")
    way = way_given(given)
    if way == "value" and not given.get("example"):
        return list(given["value"])
    if way == "fact":
        return known(post, given["fact"], words)
    return None


def _offers(procedure, words, paths):
    """An Offer per fee charged on some answer path, in the procedure's order, and one per scheduled
    change; an example amount gives an Offer without a price."""
    charged = {}
    for _, outcome in paths:
        for fee in outcome["fees"]:
            charged.setdefault(fee["id"], fee)
    offers = []
    for fee in procedure.get("fees", []):
        shown = charged.get(fee["id"])
        if shown is None:
            continue
        name = words.text(fee["label"])
        value = next(v for v in fee["values"] if v["from"] == shown["from"])
        offer = {"@type": "Offer", "name": name}
        if not shown["example"]:
            offer.update(price=shown["amount"], priceCurrency=shown["currency"])
            if not value.get("since_checked"):
                offer["validFrom"] = shown["from"]
        nxt = shown["next"]
        if nxt is not None:
            offer["validThrough"] = (datetime.date.fromisoformat(nxt["from"]) - datetime.timedelta(days=1)).isoformat()
        offers.append(offer)
        later = next(v for v in fee["values"] if v["from"] == nxt["from"]) if nxt else None
        if nxt is not None and nxt["amount"] is not None:
            scheduled = {"@type": "Offer", "name": name, "validFrom": nxt["from"]}
            if not later.get("example"):
                scheduled.update(price=nxt["amount"], priceCurrency=shown["currency"])
            offers.append(scheduled)
    return offers
