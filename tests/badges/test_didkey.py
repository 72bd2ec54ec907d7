import pytest

from badges.didkey import (
    DidKeyError,
    base58btc_decode,
    base58btc_encode,
    did_key_from_public_key,
    did_key_verification_method,
    multibase_decode,
    public_key_from_did_key,
    public_key_from_multikey,
    split_did_key_url,
)
from tests.badges.keys import ed25519_key

# Vectors from Bitcoin Core's base58_encode_decode.json, plus the brief's "hello world".
BASE58_VECTORS = [
    (b"", ""),
    (b"hello world", "StV1DL6CwTryKyV"),
    (bytes.fromhex("61"), "2g"),
    (bytes.fromhex("626262"), "a3gV"),
    (bytes.fromhex("636363"), "aPEr"),
    (bytes.fromhex("73696d706c792061206c6f6e6720737472696e67"), "2cFupjhnEsSn59qHXstmK2ffpLv2"),
    (
        bytes.fromhex("00eb15231dfceb60925886b67d065299925915aeb172c06647"),
        "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L",
    ),
    (bytes.fromhex("516b6fcd0f"), "ABnLTmg"),
    (bytes.fromhex("bf4f89001e670274dd"), "3SEo3LWLoPntC"),
    (bytes.fromhex("572e4794"), "3EFU7m"),
    (bytes.fromhex("ecac89cad93923c02321"), "EJDM8drfXA6uyA"),
    (bytes.fromhex("10c8511e"), "Rt5zm"),
    (bytes(10), "1111111111"),
    (b"\0\0\x01", "112"),
]

# From the did:key method specification's Ed25519 test vectors.
SPEC_DID_KEY = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"


@pytest.mark.parametrize(("data", "text"), BASE58_VECTORS)
def test_base58_matches_known_vectors(data: bytes, text: str) -> None:
    assert base58btc_encode(data) == text
    assert base58btc_decode(text) == data


@pytest.mark.parametrize("bad", ["0abc", "Oops", "Il", "ab c", "z+"])
def test_base58_refuses_characters_outside_the_alphabet(bad: str) -> None:
    with pytest.raises(DidKeyError):
        base58btc_decode(bad)


def test_base58_refuses_overlong_text_instead_of_grinding_through_it() -> None:
    with pytest.raises(DidKeyError):
        base58btc_decode("2" * 100_000)


def test_multibase_accepts_only_base58btc() -> None:
    assert multibase_decode("zStV1DL6CwTryKyV") == b"hello world"
    with pytest.raises(DidKeyError):
        multibase_decode("maGVsbG8")  # base64 multibase


def test_spec_did_key_decodes_to_a_32_byte_key_and_re_encodes_identically() -> None:
    key = public_key_from_did_key(SPEC_DID_KEY)
    assert len(key.public_bytes_raw()) == 32
    assert did_key_from_public_key(key) == SPEC_DID_KEY


def test_fresh_key_round_trips_through_did_key() -> None:
    public = ed25519_key().public_key()
    did = did_key_from_public_key(public)
    assert did.startswith("did:key:z6Mk")
    assert public_key_from_did_key(did).public_bytes_raw() == public.public_bytes_raw()


def test_verification_method_repeats_the_key_as_fragment() -> None:
    mb = SPEC_DID_KEY.removeprefix("did:key:")
    method = did_key_verification_method(SPEC_DID_KEY)
    assert method == f"{SPEC_DID_KEY}#{mb}"
    did, key = split_did_key_url(method)
    assert did == SPEC_DID_KEY
    assert key.public_bytes_raw() == public_key_from_did_key(SPEC_DID_KEY).public_bytes_raw()


def test_verification_method_with_another_fragment_is_refused() -> None:
    with pytest.raises(DidKeyError):
        split_did_key_url(SPEC_DID_KEY + "#key-1")
    with pytest.raises(DidKeyError):
        split_did_key_url(SPEC_DID_KEY)


def test_non_ed25519_multikeys_are_refused() -> None:
    # secp256k1-pub (0xe7 0x01) with 33 bytes: a valid Multikey, but not Ed25519.
    with pytest.raises(DidKeyError, match="not an Ed25519"):
        public_key_from_multikey("z" + base58btc_encode(b"\xe7\x01" + bytes(33)))
    with pytest.raises(DidKeyError, match="32 bytes"):
        public_key_from_multikey("z" + base58btc_encode(b"\xed\x01" + bytes(31)))
    with pytest.raises(DidKeyError):
        public_key_from_did_key("did:web:example.com")
