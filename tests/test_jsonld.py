"""The structured data on every procedure page (pipeline/jsonld.py): one schema.org GovernmentService
as JSON-LD whose properties and values are those of the YAML, in the page's language; example and
unknown values left out; a data block the page's Content-Security-Policy neither runs nor hashes."""

import copy
import datetime
import json
import re

import pytest
from conftest import ROOT

from pipeline.csp import sha256
from pipeline.jsonld import iso_duration
from pipeline.load import load_yaml
from pipeline.render import render_post
from site_helpers import DATE, shared_site
from wizard.paths import enumerate_paths

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
# What schema.org's GovernmentService, ServiceChannel and Offer carry here, at least.
REQUIRED = ("@context", "@type", "identifier", "name", "description", "provider", "areaServed", "audience")


def yaml_data(path):
    return load_yaml(ROOT / path, display=path).data


def procedure_pages():
    """[(post id, language, procedure id, page path)] of every procedure page of the built site."""
    site, report = shared_site()
    return [
        (post_id, lang, pid, site / post_id / lang / f"{pid}.html")
        for post_id, lang in report.builds
        for pid in yaml_data(f"content/posts/{post_id}.yaml")["procedures"]
    ]


def structured_data(page):
    """The JSON-LD object of a page: exactly one data block, valid JSON."""
    blocks = JSON_LD.findall(page.read_text(encoding="utf-8"))
    assert len(blocks) == 1, page
    return json.loads(blocks[0])


def known(post, name, lang):
    """A fact of the post's YAML as the JSON-LD should carry it: only when a source gives it."""
    for group in ("contact", "facts"):
        given = post.get(group, {}).get(name)
        if given and "source" in given:
            value = given["value"]
            return value[lang] if isinstance(value, dict) and lang in value else value
    return None


def test_every_procedure_page_describes_its_government_service_as_the_yaml_says():
    pages = procedure_pages()
    assert len(pages) == 5 * 4  # oslo and astana: 2 procedures, the municipality 1; four languages
    for post_id, lang, pid, page in pages:
        data = structured_data(page)
        post = yaml_data(f"content/posts/{post_id}.yaml")
        procedure = yaml_data(f"procedures/{pid}.yaml")
        where = (post_id, lang, pid)
        assert all(key in data for key in REQUIRED), where
        assert data["@context"] == "https://schema.org" and data["@type"] == "GovernmentService"
        assert data["identifier"] == pid
        assert data["name"] == procedure["title"][lang] and data["description"] == procedure["summary"][lang]
        assert data["audience"] == {"@type": "Audience", "audienceType": procedure["who"][lang]}
        assert data["areaServed"] == [
            {"@type": "Country", "identifier": c["code"], "name": c["name"][lang]} for c in post["countries"]
        ]
        provider = data["provider"]
        assert provider["@type"] == "GovernmentOrganization" and provider["name"] == post["name"][lang]
        assert provider.get("telephone") == known(post, "phone", lang), where
        assert provider.get("email") == known(post, "email", lang), where

        channel = data["availableChannel"]
        assert channel["@type"] == "ServiceChannel"
        assert channel["serviceLocation"]["name"] == post["name"][lang]
        city = post.get("city", {}).get(lang)
        assert channel["serviceLocation"].get("address", {}).get("addressLocality") == city
        phone = known(post, "phone", lang)
        assert channel.get("servicePhone") == (phone and {"@type": "ContactPoint", "telephone": phone}), where
        assert channel.get("serviceUrl") == (known(post, "appointments", lang) or known(post, "website", lang))
        delivery = [t for t in procedure.get("timing", []) if t.get("duration") == "processing_time"]
        delay = known(post, "processing_time", lang) if delivery else None
        assert channel.get("processingTime") == (delay and iso_duration(delay)), where
        languages = procedure["sdg"]["languages"]
        assert channel.get("availableLanguage") == (languages["value"] if "source" in languages else None)


def test_the_oslo_passport_channel_has_its_phone_and_delivery_time_and_astana_says_only_what_it_knows():
    site, _ = shared_site()
    oslo = structured_data(site / "oslo" / "en" / "passport.html")["availableChannel"]
    assert oslo["servicePhone"] == {"@type": "ContactPoint", "telephone": "+47 23 23 92 20"}
    assert oslo["processingTime"] == "P11D"  # about 7 working days: at most 11 calendar days with weekends
    astana = structured_data(site / "astana" / "en" / "passport.html")["availableChannel"]
    assert set(astana) == {"@type", "serviceLocation"}  # its phone, delivery time and address are not known


def test_fees_are_offers_with_the_amount_in_force_and_an_example_amount_has_no_price(content):
    for post_id, lang, pid, page in procedure_pages():
        offers = structured_data(page).get("offers", [])
        fees = {f["id"]: f for f in yaml_data(f"procedures/{pid}.yaml").get("fees", [])}
        charged = []
        for _, outcome in enumerate_paths(content.procedures[pid], DATE, post=content.posts[post_id]):
            charged += [f["id"] for f in outcome["fees"] if f["id"] not in charged]
        charged = [fid for fid in fees if fid in charged]  # in the procedure's order
        assert [o["name"] for o in offers] == [fees[fid]["label"][lang] for fid in charged], (post_id, pid)
        for offer, fid in zip(offers, charged, strict=True):
            values = [v for v in fees[fid]["values"] if v["from"].isoformat() <= DATE]
            value = values[-1]
            assert offer["@type"] == "Offer"
            if value.get("example"):
                assert not {"price", "priceCurrency"} & set(offer), (pid, fid)
                continue
            assert offer["price"] == f"{value['amount']:.2f}" and offer["priceCurrency"] == "EUR"
            assert offer.get("validFrom") == (None if value.get("since_checked") else value["from"].isoformat())


def test_a_scheduled_change_ends_the_offer_in_force_and_is_an_offer_of_its_own(content):
    changed = copy.deepcopy(content)
    fee = next(f for f in changed.procedures["travel-document"]["fees"] if f["id"] == "adult-standard")
    fee["values"].append({"from": "2027-01-01", "amount": 75, "source": "seed-003"})
    page = render_post(changed, "example-municipality", "en").pages["travel-document.md"]
    offers = json.loads(JSON_LD.search(page).group(1))["offers"]
    standard = [o for o in offers if o["name"] == "Travel document, standard procedure"]
    assert standard[:2] == [
        {
            "@type": "Offer",
            "name": "Travel document, standard procedure",
            "price": "70.00",
            "priceCurrency": "EUR",
            "validThrough": "2026-12-31",
        },
        {
            "@type": "Offer",
            "name": "Travel document, standard procedure",
            "price": "75.00",
            "priceCurrency": "EUR",
            "validFrom": "2027-01-01",
        },
    ]


def test_no_example_or_unknown_value_reaches_the_structured_data():
    for _, _, _, page in procedure_pages():
        text = json.dumps(structured_data(page))
        assert "example.org" not in text and "(example)" not in text.replace("municipality (example)", ""), page


def test_the_data_block_is_escaped_never_run_and_never_hashed_by_the_pages_policy():
    for _, _, _, page in procedure_pages():
        body = page.read_text(encoding="utf-8")
        (block,) = JSON_LD.findall(body)
        assert not set("<>&") & set(block)  # wizard.presentation.json_script: nothing can end the element
        (policy,) = POLICY.findall(body)
        assert sha256(block) not in policy


@pytest.mark.parametrize(
    "duration, iso",
    [
        ({"working_days": 1}, "P3D"),  # applied on a Friday: ready on Monday
        ({"working_days": 5}, "P7D"),
        ({"working_days": 6}, "P10D"),
        ({"working_days": 7, "approximate": True}, "P11D"),
        ({"days": 10}, "P10D"),
        ({"weeks": 6, "approximate": True}, "P6W"),
    ],
)
def test_a_delay_is_an_iso_8601_duration_working_days_with_their_weekends(duration, iso):
    assert iso_duration(duration) == iso
    if "working_days" in duration:  # the longest span of n working days, whatever the weekday one starts
        n = duration["working_days"]
        spans = []
        for start in range(7):
            day, left = datetime.date(2026, 11, 30) + datetime.timedelta(days=start), n
            end = day
            while left:
                end += datetime.timedelta(days=1)
                left -= end.weekday() < 5
            spans.append((end - day).days)
        assert iso == f"P{max(spans)}D"
