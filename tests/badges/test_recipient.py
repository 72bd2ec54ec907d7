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
        ("sha1$" + hashlib.sha1(b"learner@example.org").hexdigest(), True, "", True),  # noqa: S324
        ("sha512$" + hashlib.sha512(b"learner@example.org").hexdigest(), True, "", False),
        ("sha256$", True, "", False),
        ("learner@example.org", True, "", False),  # says hashed but is not
    ],
)
def test_identity_rules(identity: str, hashed: bool, salt: str, matches: bool) -> None:
    emails = ["Learner@example.org", "second@example.org"]
    assert identity_matches(identity, hashed=hashed, salt=salt, emails=emails) is matches
