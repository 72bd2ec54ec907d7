"""Ed25519 keys as Multikey (`publicKeyMultibase`) and as `did:key` identifiers.

Multibase base58btc is a 'z' followed by base58 (Bitcoin alphabet). An Ed25519 Multikey is
the multicodec prefix 0xed 0x01 (varint of 0xed, "ed25519-pub") followed by the 32-byte
public key, so its text starts "z6Mk". A did:key is `did:key:<that text>`, and its one
verification method is `did:key:<mb>#<mb>`.
"""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_PUB_MULTICODEC = b"\xed\x01"
DID_KEY_PREFIX = "did:key:"

# Keys and signatures are under 100 characters. Decoding is quadratic in the length, so
# refuse long text rather than spend time on it.
MAX_BASE58_CHARS = 512

_BASE58_VALUES = {char: value for value, char in enumerate(BASE58_ALPHABET)}


class DidKeyError(ValueError):
    """Text that is not a valid base58btc value, Ed25519 Multikey or did:key."""


def base58btc_encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(BASE58_ALPHABET[remainder])
    return "1" * zeros + "".join(reversed(digits))


def base58btc_decode(text: str) -> bytes:
    if len(text) > MAX_BASE58_CHARS:
        raise DidKeyError("The base58 text is too long.")
    number = 0
    for char in text:
        value = _BASE58_VALUES.get(char)
        if value is None:
            raise DidKeyError(f"{char!r} is not a base58 character.")
        number = number * 58 + value
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * zeros + body


def multibase_encode(data: bytes) -> str:
    """Multibase base58btc: 'z' + base58."""
    return "z" + base58btc_encode(data)


def multibase_decode(text: str) -> bytes:
    """Decode multibase base58btc ('z' prefix); other multibase encodings are refused."""
    if not text.startswith("z"):
        raise DidKeyError("Only multibase base58btc values (starting with 'z') are accepted.")
    return base58btc_decode(text[1:])


def multikey_from_public_key(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return multibase_encode(ED25519_PUB_MULTICODEC + raw)


def public_key_from_multikey(multibase: str) -> Ed25519PublicKey:
    """The Ed25519 public key in a Multikey `publicKeyMultibase` value."""
    data = multibase_decode(multibase)
    if not data.startswith(ED25519_PUB_MULTICODEC):
        raise DidKeyError("The key is not an Ed25519 public key (multicodec ed25519-pub).")
    raw = data[len(ED25519_PUB_MULTICODEC) :]
    if len(raw) != 32:
        raise DidKeyError("An Ed25519 public key must be 32 bytes.")
    return Ed25519PublicKey.from_public_bytes(raw)


def did_key_from_public_key(key: Ed25519PublicKey) -> str:
    return DID_KEY_PREFIX + multikey_from_public_key(key)


def public_key_from_did_key(did: str) -> Ed25519PublicKey:
    """The key of a bare `did:key:z6Mk...` (no fragment, path or query)."""
    if not did.startswith(DID_KEY_PREFIX):
        raise DidKeyError("This is not a did:key identifier.")
    return public_key_from_multikey(did[len(DID_KEY_PREFIX) :])


def did_key_verification_method(did: str) -> str:
    """`did:key:<mb>#<mb>`, the id of the one verification method of a did:key."""
    public_key_from_did_key(did)
    return f"{did}#{did[len(DID_KEY_PREFIX) :]}"


def split_did_key_url(url: str) -> tuple[str, Ed25519PublicKey]:
    """Check a did:key verification method URL (`did:key:<mb>#<mb>`, the fragment repeating
    the key) and return the DID and its key."""
    did, hash_sign, fragment = url.partition("#")
    key = public_key_from_did_key(did)
    if not hash_sign or fragment != did[len(DID_KEY_PREFIX) :]:
        raise DidKeyError("A did:key verification method must be did:key:<key>#<key>.")
    return did, key
