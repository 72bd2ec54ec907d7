"""Reading issuer registry files: the DCC and LearnCard registry.json, and every way a
file can be wrong (each refused whole, with what and where)."""

import json

import pytest
from django.test import override_settings

from badges.models import IssuerRegistry
from badges.registries.formats import RegistryInvalid, is_issuer_id, parse_registry
from tests.badges.registries import (
    DCC_URL,
    EXAMPLE_ISSUERS,
    LEARNCARD_URL,
    registry_bytes,
)


def test_reads_a_dcc_registry() -> None:
    parsed = parse_registry(registry_bytes(), source_url=DCC_URL)
    assert parsed.format == IssuerRegistry.Format.DCC
    assert parsed.issuer_ids == set(EXAMPLE_ISSUERS)
    university = next(e for e in parsed.entries if e.issuer_id.startswith("did:web:"))
    assert university.name == "Example University"
    assert university.url == "https://credentials.example.edu"


def test_a_registry_published_by_learncard_is_detected_as_learncard() -> None:
    parsed = parse_registry(registry_bytes(), source_url=LEARNCARD_URL)
    assert parsed.format == IssuerRegistry.Format.LEARNCARD


def test_the_format_the_admin_chose_is_kept() -> None:
    parsed = parse_registry(registry_bytes(), format=IssuerRegistry.Format.LEARNCARD)
    assert parsed.format == IssuerRegistry.Format.LEARNCARD


def test_reads_the_early_dcc_shape_with_entries() -> None:
    parsed = parse_registry(registry_bytes(key="entries"))
    assert parsed.issuer_ids == set(EXAMPLE_ISSUERS)


def test_https_issuer_ids_are_kept_exactly_as_written() -> None:
    issuers = {"https://Badges.example.org/issuers/1": {"name": "Badges"}}
    parsed = parse_registry(registry_bytes(issuers))
    assert parsed.issuer_ids == {"https://Badges.example.org/issuers/1"}


def test_a_byte_order_mark_is_accepted() -> None:
    parsed = parse_registry(b"\xef\xbb\xbf" + registry_bytes())
    assert len(parsed.entries) == 2


def test_not_json_names_the_line_and_column() -> None:
    broken = registry_bytes().decode().replace('"Example College",', '"Example College"')
    with pytest.raises(
        RegistryInvalid, match=r"not valid JSON: Expecting ',' delimiter at line \d+"
    ):
        parse_registry(broken.encode())


def test_not_text_is_refused() -> None:
    with pytest.raises(RegistryInvalid, match="not text"):
        parse_registry(b"\x89PNG\r\n\x1a\n\x00\xff")


def test_an_entry_that_is_not_an_issuer_id_is_named_with_its_line() -> None:
    issuers = {**EXAMPLE_ISSUERS, "http://plain.example.org/issuer": {"name": "Plain"}}
    data = registry_bytes(issuers)
    line = data.decode().splitlines().index('        "http://plain.example.org/issuer": {') + 1
    with pytest.raises(RegistryInvalid) as refused:
        parse_registry(data)
    message = str(refused.value)
    assert f"“http://plain.example.org/issuer” (line {line})" in message
    assert "neither a DID" in message and "Nothing was changed." in message


@pytest.mark.parametrize(
    "bad_id", ["Example University", "did:Web:upper", "did:web:", "https://", "urn:uuid:1234"]
)
def test_ids_that_no_badge_could_name_are_refused(bad_id: str) -> None:
    with pytest.raises(RegistryInvalid, match="neither a DID"):
        parse_registry(registry_bytes({bad_id: {"name": "X"}}))


def test_many_bad_entries_are_summarised() -> None:
    issuers: dict[str, dict[str, str]] = {f"issuer {n}": {} for n in range(5)}
    with pytest.raises(RegistryInvalid, match="2 more entries have problems too"):
        parse_registry(registry_bytes(issuers))


def test_an_entry_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(RegistryInvalid, match="should be an object"):
        parse_registry(registry_bytes({"did:web:example.org": "Example"}))


def test_the_wrong_shape_says_what_was_found() -> None:
    data = json.dumps({"meta": {}, "registry": ["did:web:example.org"]}).encode()
    with pytest.raises(RegistryInvalid, match=r"“registry” part should be an object.*a list"):
        parse_registry(data)


def test_an_unknown_format_says_what_we_read() -> None:
    credential = {"@context": [], "type": ["VerifiableCredential"], "issuer": "did:web:x"}
    with pytest.raises(RegistryInvalid, match="We do not recognise this format") as refused:
        parse_registry(json.dumps(credential).encode())
    assert "“@context”" in str(refused.value)


def test_a_file_that_is_not_the_chosen_format_names_it() -> None:
    with pytest.raises(RegistryInvalid, match=r"This is not a LearnCard registry\.json"):
        parse_registry(b"[1, 2]", format=IssuerRegistry.Format.LEARNCARD)


def test_an_unknown_format_name_is_refused() -> None:
    with pytest.raises(RegistryInvalid, match="“openid”"):
        parse_registry(registry_bytes(), format="openid")


def test_learncards_list_of_registries_is_explained() -> None:
    pointers = [{"name": "LEF Member Registry", "type": "dcc-legacy", "url": LEARNCARD_URL}]
    with pytest.raises(RegistryInvalid, match="list of registries"):
        parse_registry(json.dumps(pointers).encode())


def test_an_empty_registry_is_refused() -> None:
    with pytest.raises(RegistryInvalid, match="lists no issuers"):
        parse_registry(registry_bytes({}))


@override_settings(OUTBOUND_FETCH_MAX_BYTES=1000)
def test_a_file_over_the_size_cap_is_refused() -> None:
    big = {f"did:web:issuer{n}.example.org": {"name": "x" * 50} for n in range(20)}
    with pytest.raises(RegistryInvalid, match="larger than 1000"):
        parse_registry(registry_bytes(big))


def test_only_web_addresses_are_kept_as_the_issuers_page() -> None:
    issuers = {"did:web:a.example.org": {"name": "A", "url": "javascript:alert(1)"}}
    assert parse_registry(registry_bytes(issuers)).entries[0].url == ""


def test_issuer_ids() -> None:
    assert is_issuer_id("did:web:example.org:users:alice")
    assert is_issuer_id("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
    assert is_issuer_id("https://example.org/issuer")
    assert not is_issuer_id("https://user@example.org/issuer")
    assert not is_issuer_id(" https://example.org/issuer")
    assert not is_issuer_id("did:web:example.org#key-1")
