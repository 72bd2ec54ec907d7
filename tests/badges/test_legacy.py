"""Open Badges 0.5, 1.0 and 1.1 upgraded to the 2.0 model, with the examples the published
specifications give (1.0/1.1 "Beth's robotics badge", the 0.5 P2PU backpack badge)."""

import copy
import hashlib
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from badges.legacy import LegacyBadgeError, legacy_links, legacy_version, upgrade_assertion
from badges.parsing import ob2_facts, version_of
from badges.verification.recipient import ob2_recipient

P2PU_IDENTITY = "sha256$2ad891a61112bb953171416acc9cfe2484d59a45a3ed574a1ca93b47d07629fe"
HASHED_IDENTITY = "sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5"
BADGE_URL = "https://example.org/robotics-badge.json"
ISSUER_URL = "https://example.org/organization.json"
ASSERTION_URL = "https://example.org/beths-robotics-badge.json"
V1 = "https://w3id.org/openbadges/v1"
V2 = "https://w3id.org/openbadges/v2"


def assertion_1_0() -> dict[str, Any]:
    return {
        "uid": "f2c20",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": "deadsea",
            "identity": HASHED_IDENTITY,
        },
        "image": "https://example.org/beths-robot-badge.png",
        "evidence": "https://example.org/beths-robot-work.html",
        "issuedOn": 1359217910,
        "expires": 1609458300,
        "badge": BADGE_URL,
        "verify": {"type": "hosted", "url": ASSERTION_URL},
    }


def badge_class_1_0() -> dict[str, Any]:
    return {
        "name": "Awesome Robotics Badge",
        "description": "For doing awesome things with robots that people think is pretty great.",
        "image": "https://example.org/robotics-badge.png",
        "criteria": "https://example.org/robotics-badge.html",
        "tags": ["robots", "awesome"],
        "issuer": ISSUER_URL,
        "alignment": [
            {
                "name": "CCSS.ELA-Literacy.RST.11-12.3",
                "url": "http://www.corestandards.org/ELA-Literacy/RST/11-12/3",
                "description": "Follow precisely a complex multistep procedure.",
            },
            {
                "name": "CCSS.ELA-Literacy.RST.11-12.9",
                "url": "http://www.corestandards.org/ELA-Literacy/RST/11-12/9",
            },
        ],
    }


def issuer_1_0() -> dict[str, Any]:
    return {
        "name": "An Example Badge Issuer",
        "image": "https://example.org/logo.png",
        "url": "https://example.org",
        "email": "steved@example.org",
        "revocationList": "https://example.org/revoked.json",
    }


def assertion_1_1() -> dict[str, Any]:
    return {"@context": V1, "type": "Assertion", "id": ASSERTION_URL, **assertion_1_0()}


def badge_class_1_1() -> dict[str, Any]:
    return {"@context": V1, "type": "BadgeClass", "id": BADGE_URL, **badge_class_1_0()}


def issuer_1_1() -> dict[str, Any]:
    return {"@context": V1, "type": "Issuer", "id": ISSUER_URL, **issuer_1_0()}


def assertion_0_5() -> dict[str, Any]:
    return {
        "recipient": P2PU_IDENTITY,
        "salt": "hashbrowns",
        "evidence": "/badges/html5-basic/bimmy",
        "expires": "2013-06-01",
        "issued_on": "2011-06-01",
        "badge": {
            "version": "0.5.0",
            "name": "HTML5 Fundamental",
            "image": "/img/html5-basic.png",
            "description": "Knows the difference between a <section> and an <article>",
            "criteria": "/badges/html5-basic",
            "issuer": {
                "origin": "http://p2pu.org",
                "name": "P2PU",
                "org": "School of Webcraft",
                "contact": "admin@p2pu.org",
            },
        },
    }


def assertion_2_0() -> dict[str, Any]:
    return {
        "@context": V2,
        "type": "Assertion",
        "id": ASSERTION_URL,
        "recipient": {"type": "email", "hashed": False, "identity": "beth@example.org"},
        "badge": BADGE_URL,
        "verification": {"type": "hosted"},
        "issuedOn": "2016-12-31T23:59:59Z",
    }


def credential_3_0() -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.org/issuer", "type": ["Profile"]},
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {}},
    }


EXPECTED_BADGE_CLASS = {
    "type": "BadgeClass",
    "id": BADGE_URL,
    "name": "Awesome Robotics Badge",
    "description": "For doing awesome things with robots that people think is pretty great.",
    "image": "https://example.org/robotics-badge.png",
    "criteria": "https://example.org/robotics-badge.html",
    "issuer": {
        "type": "Issuer",
        "id": ISSUER_URL,
        "name": "An Example Badge Issuer",
        "url": "https://example.org",
        "image": "https://example.org/logo.png",
        "email": "steved@example.org",
        "revocationList": "https://example.org/revoked.json",
    },
    "alignment": [
        {
            "targetName": "CCSS.ELA-Literacy.RST.11-12.3",
            "targetUrl": "http://www.corestandards.org/ELA-Literacy/RST/11-12/3",
            "targetDescription": "Follow precisely a complex multistep procedure.",
        },
        {
            "targetName": "CCSS.ELA-Literacy.RST.11-12.9",
            "targetUrl": "http://www.corestandards.org/ELA-Literacy/RST/11-12/9",
        },
    ],
    "tags": ["robots", "awesome"],
}

EXPECTED_1_X = {
    "@context": V2,
    "type": "Assertion",
    "id": ASSERTION_URL,
    "uid": "f2c20",
    "recipient": {"type": "email", "hashed": True, "identity": HASHED_IDENTITY, "salt": "deadsea"},
    "badge": EXPECTED_BADGE_CLASS,
    "verification": {"type": "hosted"},
    "issuedOn": "2013-01-26T16:31:50Z",
    "expires": "2020-12-31T23:45:00Z",
    "image": "https://example.org/beths-robot-badge.png",
    "evidence": "https://example.org/beths-robot-work.html",
}


class TestLegacyVersion:
    @pytest.mark.parametrize(
        ("document", "version"),
        [
            (assertion_0_5(), "0.5"),
            (assertion_1_0(), "1.0"),
            (assertion_1_1(), "1.1"),
            ({**assertion_1_0(), "recipient": HASHED_IDENTITY, "salt": "deadsea"}, "1.0"),
            ({**assertion_0_5(), "recipient": "bimmy@example.org"}, "0.5"),
        ],
    )
    def test_names_each_legacy_shape(self, document: dict[str, Any], version: str) -> None:
        assert legacy_version(document) == version

    @pytest.mark.parametrize(
        "document",
        [assertion_2_0(), credential_3_0(), badge_class_1_0(), {"name": "A page"}, {}],
        ids=["2.0", "3.0", "1.0 badge class", "not a badge", "empty"],
    )
    def test_is_none_for_anything_else(self, document: dict[str, Any]) -> None:
        assert legacy_version(document) is None

    def test_a_2_0_assertion_that_kept_a_1_x_field_is_still_2_0(self) -> None:
        assert legacy_version({**assertion_2_0(), "uid": "f2c20"}) is None


class TestLegacyLinks:
    @pytest.mark.parametrize("document", [assertion_1_0(), assertion_1_1()])
    def test_a_1_x_assertion_needs_its_badge_class_fetched(self, document: dict[str, Any]) -> None:
        assert legacy_links(document) == (BADGE_URL, "")

    def test_an_embedded_1_x_badge_class_leaves_only_the_issuer_to_fetch(self) -> None:
        document = {**assertion_1_0(), "badge": badge_class_1_0()}
        assert legacy_links(document) == ("", ISSUER_URL)

    @pytest.mark.parametrize("document", [assertion_0_5(), assertion_2_0(), credential_3_0()])
    def test_nothing_to_fetch_otherwise(self, document: dict[str, Any]) -> None:
        assert legacy_links(document) == ("", "")

    def test_a_badge_link_that_is_not_a_web_address_is_not_offered(self) -> None:
        assert legacy_links({**assertion_1_0(), "badge": "file:///etc/passwd"}) == ("", "")


class TestUpgrade1x:
    def test_1_0_upgrades_to_2_0_with_every_field_mapped(self) -> None:
        upgraded = upgrade_assertion(
            assertion_1_0(), badge_class=badge_class_1_0(), issuer=issuer_1_0()
        )
        assert upgraded == EXPECTED_1_X

    def test_1_1_upgrades_to_the_same_2_0_assertion(self) -> None:
        upgraded = upgrade_assertion(
            assertion_1_1(), badge_class=badge_class_1_1(), issuer=issuer_1_1()
        )
        assert upgraded == EXPECTED_1_X

    def test_the_upgrade_reads_as_2_0_with_the_right_facts(self) -> None:
        upgraded = upgrade_assertion(
            assertion_1_0(), badge_class=badge_class_1_0(), issuer=issuer_1_0()
        )
        assert version_of(upgraded) == "2.0"
        facts = ob2_facts(upgraded, upgraded["badge"], upgraded["badge"]["issuer"])
        assert facts.name == "Awesome Robotics Badge"
        assert facts.assertion_id == ASSERTION_URL
        assert facts.achievement_id == BADGE_URL
        assert (facts.issuer_id, facts.issuer_name) == (ISSUER_URL, "An Example Badge Issuer")
        assert (facts.issuer_url, facts.issuer_email) == (
            "https://example.org",
            "steved@example.org",
        )
        assert facts.issued_at == datetime(2013, 1, 26, 16, 31, 50, tzinfo=UTC)
        assert facts.expires_at == datetime(2020, 12, 31, 23, 45, tzinfo=UTC)
        assert facts.details["criteria"]["url"] == "https://example.org/robotics-badge.html"
        assert facts.details["alignments"][0]["targetName"] == "CCSS.ELA-Literacy.RST.11-12.3"
        assert facts.details["evidence"][0]["url"] == "https://example.org/beths-robot-work.html"
        assert facts.details["tags"] == ["robots", "awesome"]

    def test_a_signed_1_0_names_its_public_key_as_creator_and_keeps_no_invented_id(self) -> None:
        signed = {
            **assertion_1_0(),
            "verify": {"type": "signed", "url": "https://example.org/key.pem"},
        }
        upgraded = upgrade_assertion(signed, badge_class=badge_class_1_0(), issuer=issuer_1_0())
        assert upgraded["verification"] == {
            "type": "signed",
            "creator": "https://example.org/key.pem",
        }
        assert "id" not in upgraded
        assert upgraded["uid"] == "f2c20"

    def test_a_signed_1_1_keeps_its_own_id(self) -> None:
        signed = {
            **assertion_1_1(),
            "id": "urn:uuid:3c574c87-b96f-4f06-8eb5-68a29335b60e",
            "verify": {"type": "signed", "url": "https://example.org/key.pem"},
        }
        upgraded = upgrade_assertion(signed, badge_class=badge_class_1_1(), issuer=issuer_1_1())
        assert upgraded["id"] == "urn:uuid:3c574c87-b96f-4f06-8eb5-68a29335b60e"

    def test_a_plain_string_recipient_becomes_an_identity_with_the_top_level_salt(self) -> None:
        export = {**assertion_1_0(), "recipient": HASHED_IDENTITY, "salt": "deadsea"}
        upgraded = upgrade_assertion(export, badge_class=badge_class_1_0(), issuer=issuer_1_0())
        assert upgraded["recipient"] == {
            "type": "email",
            "hashed": True,
            "identity": HASHED_IDENTITY,
            "salt": "deadsea",
        }
        assert "salt" not in upgraded

    @pytest.mark.parametrize(
        ("identity", "hashed"), [(HASHED_IDENTITY, True), ("beth@example.org", False)]
    )
    def test_an_export_that_dropped_hashed_is_read_from_the_identitys_form(
        self, identity: str, hashed: bool
    ) -> None:
        export = {**assertion_1_0(), "recipient": {"type": "email", "identity": identity}}
        upgraded = upgrade_assertion(export, badge_class=badge_class_1_0(), issuer=issuer_1_0())
        assert upgraded["recipient"] == {"type": "email", "hashed": hashed, "identity": identity}

    def test_badge_class_and_issuer_ids_fall_back_to_the_urls_they_were_linked_from(self) -> None:
        upgraded = upgrade_assertion(
            assertion_1_0(), badge_class=badge_class_1_0(), issuer=issuer_1_0()
        )
        assert upgraded["badge"]["id"] == BADGE_URL
        assert upgraded["badge"]["issuer"]["id"] == ISSUER_URL

    def test_fields_the_2_0_model_does_not_know_are_left_out(self) -> None:
        upgraded = upgrade_assertion(
            {**assertion_1_1(), "snood": "a very fun video game", "extensions:Foo": {}},
            badge_class={**badge_class_1_1(), "color": "red"},
            issuer={**issuer_1_1(), "fax": "555"},
        )
        assert upgraded == EXPECTED_1_X

    @pytest.mark.parametrize(
        ("stated", "upgraded"),
        [
            ("1359217910", "2013-01-26T16:31:50Z"),
            ("2013-01-26", "2013-01-26T00:00:00Z"),
            ("2013-01-26T16:31:50", "2013-01-26T16:31:50Z"),
            ("2013-01-26T18:31:50+02:00", "2013-01-26T16:31:50Z"),
        ],
    )
    def test_issue_dates_become_utc_iso_8601(self, stated: str, upgraded: str) -> None:
        document = {**assertion_1_0(), "issuedOn": stated}
        result = upgrade_assertion(document, badge_class=badge_class_1_0(), issuer=issuer_1_0())
        assert result["issuedOn"] == upgraded

    @pytest.mark.parametrize("stated", ["last Tuesday", 1359217910000, -5, True])
    def test_an_unreadable_date_is_refused_not_dropped(self, stated: object) -> None:
        document = {**assertion_1_0(), "expires": stated}
        with pytest.raises(LegacyBadgeError, match="expires is not a date"):
            upgrade_assertion(document, badge_class=badge_class_1_0(), issuer=issuer_1_0())


class TestUpgrade05:
    def test_0_5_upgrades_with_embedded_badge_class_and_issuer_and_urls_resolved(self) -> None:
        upgraded = upgrade_assertion(
            assertion_0_5(), hosted_url="http://p2pu.org/assertions/bimmy.json"
        )
        assert upgraded == {
            "@context": V2,
            "type": "Assertion",
            "id": "http://p2pu.org/assertions/bimmy.json",
            "recipient": {
                "type": "email",
                "hashed": True,
                "identity": P2PU_IDENTITY,
                "salt": "hashbrowns",
            },
            "badge": {
                "type": "BadgeClass",
                "name": "HTML5 Fundamental",
                "description": "Knows the difference between a <section> and an <article>",
                "image": "http://p2pu.org/img/html5-basic.png",
                "criteria": "http://p2pu.org/badges/html5-basic",
                "issuer": {
                    "type": "Issuer",
                    "id": "http://p2pu.org",
                    "url": "http://p2pu.org",
                    "name": "P2PU: School of Webcraft",
                    "email": "admin@p2pu.org",
                },
            },
            "verification": {"type": "hosted"},
            "issuedOn": "2011-06-01T00:00:00Z",
            "expires": "2013-06-01T00:00:00Z",
            "evidence": "http://p2pu.org/badges/html5-basic/bimmy",
        }

    def test_the_upgrade_reads_as_2_0_with_the_right_facts(self) -> None:
        upgraded = upgrade_assertion(assertion_0_5())
        assert version_of(upgraded) == "2.0"
        facts = ob2_facts(upgraded, upgraded["badge"], upgraded["badge"]["issuer"])
        assert facts.name == "HTML5 Fundamental"
        assert (facts.issuer_name, facts.issuer_url) == (
            "P2PU: School of Webcraft",
            "http://p2pu.org",
        )
        assert facts.issuer_email == "admin@p2pu.org"
        assert facts.issued_at == datetime(2011, 6, 1, tzinfo=UTC)
        assert facts.expires_at == datetime(2013, 6, 1, tzinfo=UTC)
        assert facts.image == "http://p2pu.org/img/html5-basic.png"
        assert facts.details["criteria"]["url"] == "http://p2pu.org/badges/html5-basic"

    def test_without_a_hosted_url_no_id_is_invented(self) -> None:
        upgraded = upgrade_assertion(assertion_0_5())
        assert "id" not in upgraded and "id" not in upgraded["badge"]
        assert upgraded["verification"] == {"type": "hosted"}

    def test_absolute_urls_and_data_images_are_kept_as_stated(self) -> None:
        document = assertion_0_5()
        document["badge"]["image"] = "data:image/png;base64,iVBORw0KGgo="
        document["badge"]["criteria"] = "https://elsewhere.example/criteria"
        upgraded = upgrade_assertion(document)
        assert upgraded["badge"]["image"] == "data:image/png;base64,iVBORw0KGgo="
        assert upgraded["badge"]["criteria"] == "https://elsewhere.example/criteria"

    def test_without_an_org_the_issuer_name_is_just_its_name(self) -> None:
        document = assertion_0_5()
        del document["badge"]["issuer"]["org"]
        assert upgrade_assertion(document)["badge"]["issuer"]["name"] == "P2PU"

    def test_a_plain_email_recipient_is_not_hashed(self) -> None:
        document = {**assertion_0_5(), "recipient": "bimmy@example.org"}
        del document["salt"]
        assert upgrade_assertion(document)["recipient"] == {
            "type": "email",
            "hashed": False,
            "identity": "bimmy@example.org",
        }

    def test_the_upgraded_recipient_matches_the_earners_address(self) -> None:
        digest = hashlib.sha256(b"beth@example.orghashbrowns").hexdigest()
        document = {**assertion_0_5(), "recipient": f"sha256${digest}"}
        upgraded = upgrade_assertion(document)
        assert ob2_recipient(upgraded, ["beth@example.org"])[0] is True
        assert ob2_recipient(upgraded, ["someone@example.org"])[0] is False

    def test_the_spec_version_and_unknown_fields_are_left_out(self) -> None:
        document = {**assertion_0_5(), "snood": 1}
        upgraded = upgrade_assertion(document)
        assert "version" not in upgraded["badge"] and "snood" not in upgraded
        assert "salt" not in upgraded


class TestRefusals:
    @pytest.mark.parametrize(
        ("document", "message"),
        [
            (assertion_1_0(), "This Open Badges 1.0 badge has no recipient."),
            (assertion_1_1(), "This Open Badges 1.1 badge has no recipient."),
            (assertion_0_5(), "This Open Badges 0.5 badge has no recipient."),
        ],
    )
    def test_a_badge_without_a_recipient_is_refused(
        self, document: dict[str, Any], message: str
    ) -> None:
        del document["recipient"]
        with pytest.raises(LegacyBadgeError) as refused:
            upgrade_assertion(document, badge_class=badge_class_1_0(), issuer=issuer_1_0())
        assert str(refused.value) == message

    def test_a_recipient_without_an_identity_is_refused(self) -> None:
        document = {**assertion_1_0(), "recipient": {"type": "email", "hashed": True}}
        with pytest.raises(
            LegacyBadgeError, match=r"^This Open Badges 1.0 badge has no recipient\.$"
        ):
            upgrade_assertion(document, badge_class=badge_class_1_0(), issuer=issuer_1_0())

    def test_a_1_x_badge_class_not_yet_fetched_is_asked_for(self) -> None:
        with pytest.raises(
            LegacyBadgeError, match=f"badge class .* needed: fetch {re.escape(BADGE_URL)}"
        ):
            upgrade_assertion(assertion_1_0())

    def test_a_1_x_issuer_not_yet_fetched_is_asked_for(self) -> None:
        with pytest.raises(
            LegacyBadgeError, match=f"issuer .* needed: fetch {re.escape(ISSUER_URL)}"
        ):
            upgrade_assertion(assertion_1_0(), badge_class=badge_class_1_0())

    def test_a_1_x_badge_without_verify_is_refused(self) -> None:
        document = assertion_1_0()
        del document["verify"]
        with pytest.raises(LegacyBadgeError, match=r"does not say how to check it \(verify\)"):
            upgrade_assertion(document, badge_class=badge_class_1_0(), issuer=issuer_1_0())

    def test_a_1_x_badge_without_an_issue_date_is_refused(self) -> None:
        document = assertion_1_0()
        del document["issuedOn"]
        with pytest.raises(LegacyBadgeError, match=r"has no issue date\."):
            upgrade_assertion(document, badge_class=badge_class_1_0(), issuer=issuer_1_0())

    def test_a_0_5_badge_without_an_issuer_origin_is_refused(self) -> None:
        document = assertion_0_5()
        del document["badge"]["issuer"]["origin"]
        with pytest.raises(LegacyBadgeError, match="does not say who issued it"):
            upgrade_assertion(document)

    def test_a_0_5_origin_that_is_not_a_web_address_is_refused(self) -> None:
        document = assertion_0_5()
        document["badge"]["issuer"]["origin"] = "javascript:alert(1)"
        with pytest.raises(LegacyBadgeError, match="origin is not a web address"):
            upgrade_assertion(document)

    @pytest.mark.parametrize("document", [assertion_2_0(), credential_3_0()])
    def test_a_current_badge_is_not_upgraded(self, document: dict[str, Any]) -> None:
        with pytest.raises(LegacyBadgeError, match=r"not an Open Badges 0\.5, 1\.0 or 1\.1 badge"):
            upgrade_assertion(document)


class TestInputsUntouched:
    def test_1_x_inputs_are_not_changed_nor_shared_with_the_result(self) -> None:
        document, badge_class, issuer = assertion_1_1(), badge_class_1_1(), issuer_1_1()
        badge_class["criteria"] = {"id": "https://example.org/robotics-badge.html"}
        before = copy.deepcopy((document, badge_class, issuer))
        upgraded = upgrade_assertion(document, badge_class=badge_class, issuer=issuer)
        assert (document, badge_class, issuer) == before
        upgraded["badge"]["criteria"]["narrative"] = "changed"
        upgraded["recipient"]["identity"] = "changed"
        upgraded["badge"]["tags"].append("changed")
        upgraded["badge"]["alignment"][0]["targetName"] = "changed"
        assert (document, badge_class, issuer) == before

    def test_0_5_input_is_not_changed_nor_shared_with_the_result(self) -> None:
        document = assertion_0_5()
        before = copy.deepcopy(document)
        upgraded = upgrade_assertion(document, hosted_url="http://p2pu.org/a.json")
        assert document == before
        upgraded["badge"]["issuer"]["name"] = "changed"
        upgraded["badge"]["name"] = "changed"
        assert document == before
