"""The badge's identity against a learner's verified addresses (OB 2.0 and 3.0 rules)."""

import hashlib

import pytest

from badges.verification.recipient import identity_matches


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("identity", "hashed", "salt", "matches"),
    [
        ("Learner@Example.org", False, "", True),  # plain: case-insensitive
        ("other@example.org", False, "", False),
        ("sha256$" + sha256("learner@example.org" + "deadsea"), True, "deadsea", True),
        ("sha256$" + sha256("learner@example.org" + "deadsea").upper(), True, "deadsea", True),
        ("SHA256$" + sha256("learner@example.org"), True, "", True),  # no salt
        ("sha256$" + sha256("learner@example.org" + "x"), True, "y", False),  # wrong salt
        ("md5$" + hashlib.md5(b"learner@example.org").hexdigest(), True, "", True),  # noqa: S324
        ("sha512$" + hashlib.sha512(b"learner@example.org").hexdigest(), True, "", False),
        ("sha256$", True, "", False),
        ("learner@example.org", True, "", False),  # says hashed but is not
    ],
)
def test_identity_rules(identity: str, hashed: bool, salt: str, matches: bool) -> None:
    emails = ["Learner@example.org", "second@example.org"]
    for version in ("2.0", "3.0", "legacy"):
        assert (
            identity_matches(identity, hashed=hashed, salt=salt, emails=emails, version=version)
            is matches
        )


SHA1 = "sha1$" + hashlib.sha1(b"learner@example.org").hexdigest()  # noqa: S324


@pytest.mark.parametrize(("version", "matches"), [("2.0", False), ("3.0", False), ("legacy", True)])
def test_sha1_is_only_for_badges_older_than_2_0(version: str, matches: bool) -> None:
    """OB 2.0's IdentityObject and OB 3.0's IdentityHash name sha256 and md5 only; 0.5
    and 1.x badges hashed with sha1 are still found in the wild."""
    emails = ["learner@example.org"]
    assert identity_matches(SHA1, hashed=True, salt="", emails=emails, version=version) is matches


def test_an_ob2_badge_hashed_with_sha1_does_not_name_the_learner() -> None:
    from badges.verification.recipient import ob2_recipient

    assertion = {"recipient": {"type": "email", "hashed": True, "identity": SHA1}}
    assert ob2_recipient(assertion, ["learner@example.org"])[0] is False
    assert ob2_recipient(assertion, ["learner@example.org"], legacy=True)[0] is True


def test_an_ob3_credential_hashed_with_sha1_does_not_name_the_learner() -> None:
    from badges.verification.recipient import ob3_recipient

    credential = {"credentialSubject": {"identifier": [
        {"identityType": "emailAddress", "hashed": True, "identityHash": SHA1}]}}  # fmt: skip
    assert ob3_recipient(credential, ["learner@example.org"])[0] is False
