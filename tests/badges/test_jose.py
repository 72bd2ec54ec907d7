"""JWS (Open Badges 2.0 signed assertions) and VC-JWT (Open Badges 3.0)."""

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from badges.jose import (
    JoseError,
    jws_header,
    jws_payload_unverified,
    public_key_from_jwk,
    public_key_from_pem,
    verify_jws,
    verify_vc_jwt,
)
from tests.badges.keys import (
    ALGORITHM_KEYS,
    FIXTURES,
    PrivateKey,
    b64url,
    ec_key,
    load_json,
    public_jwk,
    rsa_key,
    sign_jwt,
    unsigned_token,
)

ISSUER = "https://example.com/issuers/876543"
SUBJECT = "did:example:ebfeb1f712ebc6f1c276e12ec21"
CREDENTIAL_ID = "http://example.com/credentials/3527"
VALID_FROM = 1262304000  # 2010-01-01T00:00:00Z


def ob2_token() -> str:
    return (FIXTURES / "ob20" / "simple.jwt").read_text().strip()


def ob2_key_pem() -> str:
    return str(load_json("ob20/assets/key1.json")["publicKeyPem"])


def credential() -> dict[str, Any]:
    data = load_json("ob30/simple.json")
    del data["proof"]
    return data


def vc_claims(**overrides: Any) -> dict[str, Any]:
    claims = {
        "iss": ISSUER,
        "sub": SUBJECT,
        "jti": CREDENTIAL_ID,
        "nbf": VALID_FROM,
        "vc": credential(),
    }
    claims.update(overrides)
    return claims


def resolver_for(key: PrivateKey) -> Callable[[dict[str, Any], dict[str, Any]], Any]:
    """Stands in for the importer's lookup of the issuer's key from kid/iss."""
    return lambda header, payload: public_key_from_jwk(public_jwk(key))


def replace_payload(token: str, payload: bytes) -> str:
    header, _, signature = token.split(".")
    return ".".join([header, b64url(payload), signature])


# --- Open Badges 2.0 --------------------------------------------------------------------


def test_ob2_signed_assertion_verifies_with_the_issuers_pem_key() -> None:
    payload = verify_jws(ob2_token(), key=public_key_from_pem(ob2_key_pem()), algorithms=["RS256"])
    assert payload["type"] == "Assertion"
    assert payload["verification"] == {"type": "signed", "creator": "http://example.org/key1.json"}


def test_ob2_key_may_be_given_as_pem_text() -> None:
    assert verify_jws(ob2_token(), key=ob2_key_pem(), algorithms=["RS256"])["type"] == "Assertion"


def test_ob2_assertion_with_a_changed_payload_byte_fails() -> None:
    token = ob2_token()
    payload = base64.urlsafe_b64decode(token.split(".")[1] + "==")
    tampered = payload.replace(b"2016-12-31", b"2017-12-31")
    assert tampered != payload
    with pytest.raises(JoseError, match="changed after signing"):
        verify_jws(replace_payload(token, tampered), key=ob2_key_pem(), algorithms=["RS256"])


def test_ob2_assertion_does_not_verify_with_another_key() -> None:
    with pytest.raises(JoseError, match="signed with another key"):
        verify_jws(ob2_token(), key=rsa_key().public_key(), algorithms=["RS256"])


def test_unverified_helpers_read_header_and_payload() -> None:
    assert jws_header(ob2_token()) == {"typ": "JWT", "alg": "RS256"}
    assert jws_payload_unverified(ob2_token())["badge"] == "https://example.org/robotics-badge.json"
    with pytest.raises(JoseError):
        jws_header("not a token")
    with pytest.raises(JoseError):
        jws_payload_unverified("e30.bm90IGpzb24.c2ln")  # payload "not json"


# --- keys -------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", sorted(ALGORITHM_KEYS))
def test_public_keys_read_from_jwk(alg: str) -> None:
    key = ALGORITHM_KEYS[alg]()
    loaded = public_key_from_jwk(public_jwk(key))
    expected = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    assert loaded.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo) == expected


@pytest.mark.parametrize(
    "jwk",
    [
        {"kty": "oct", "k": "c2VjcmV0"},
        {"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"},
        {"kty": "OKP", "crv": "X25519", "x": "AA"},
        {"kty": "RSA", "n": "!!", "e": "AQAB"},
    ],
)
def test_unsupported_or_broken_jwks_are_refused(jwk: dict[str, Any]) -> None:
    with pytest.raises(JoseError):
        public_key_from_jwk(jwk)


def test_private_jwk_yields_only_the_public_key() -> None:
    from jwt.algorithms import OKPAlgorithm

    from tests.badges.keys import ed25519_key

    private_jwk = OKPAlgorithm.to_jwk(ed25519_key(), as_dict=True)
    assert "d" in private_jwk
    loaded = public_key_from_jwk(private_jwk)
    assert isinstance(loaded, Ed25519PublicKey)
    assert loaded.public_bytes_raw() == ed25519_key().public_key().public_bytes_raw()


def test_pem_that_is_not_a_public_key_is_refused() -> None:
    with pytest.raises(JoseError):
        public_key_from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")


# --- VC-JWT -----------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_vc_jwt_verifies_for_each_algorithm(alg: str) -> None:
    key = ALGORITHM_KEYS[alg]()
    token = sign_jwt(vc_claims(), key, alg, kid=f"{ISSUER}#key-1")
    seen: list[dict[str, Any]] = []

    def resolve(header: dict[str, Any], payload: dict[str, Any]) -> Any:
        seen.append(header)
        return public_key_from_jwk(public_jwk(key))

    result = verify_vc_jwt(token, resolve_key=resolve)
    assert result == credential()
    assert seen[0]["kid"] == f"{ISSUER}#key-1"


def test_vcdm2_token_whose_payload_is_the_credential_verifies() -> None:
    payload = {**credential(), "iss": ISSUER, "sub": SUBJECT, "jti": CREDENTIAL_ID}
    token = sign_jwt(payload, ec_key(), "ES256")
    assert verify_vc_jwt(token, resolve_key=resolver_for(ec_key()))["name"] == "Teamwork Badge"


def test_vc_jwt_claims_fill_in_what_the_vc_claim_leaves_out() -> None:
    vc = credential()
    del vc["id"], vc["issuer"], vc["validFrom"], vc["credentialSubject"]["id"]
    token = sign_jwt(vc_claims(vc=vc, exp=VALID_FROM + 86400), ec_key(), "ES256")
    result = verify_vc_jwt(token, resolve_key=resolver_for(ec_key()))
    assert result["id"] == CREDENTIAL_ID
    assert result["issuer"] == ISSUER
    assert result["credentialSubject"]["id"] == SUBJECT
    assert result["validFrom"] == "2010-01-01T00:00:00Z"
    assert result["validUntil"] == "2010-01-02T00:00:00Z"


def test_alg_none_is_refused() -> None:
    token = unsigned_token({"alg": "none", "typ": "JWT"}, vc_claims(), b"")
    with pytest.raises(JoseError, match="'none'"):
        verify_vc_jwt(token, resolve_key=resolver_for(rsa_key()))
    with pytest.raises(JoseError):
        verify_jws(token, key=rsa_key().public_key(), algorithms=["none"])


def test_hmac_signed_with_the_public_key_as_secret_is_refused() -> None:
    """Algorithm confusion: an attacker "signs" with HS256 using the issuer's public PEM."""
    pem = rsa_key().public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps(vc_claims()).encode())
    mac = hmac.new(pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    token = f"{header}.{payload}.{b64url(mac)}"
    with pytest.raises(JoseError, match="'HS256'"):
        verify_vc_jwt(token, resolve_key=lambda header, payload: pem.decode())
    with pytest.raises(JoseError, match="not accepted"):
        verify_jws(token, key=pem.decode(), algorithms=["HS256", "RS256"])


def test_algorithm_that_does_not_fit_the_key_is_refused() -> None:
    token = sign_jwt(vc_claims(), ec_key(), "ES256")
    with pytest.raises(JoseError, match="not accepted for this key"):
        verify_vc_jwt(token, resolve_key=resolver_for(rsa_key()))


def test_tampered_vc_jwt_payload_fails() -> None:
    token = sign_jwt(vc_claims(), rsa_key(), "RS256")
    claims = vc_claims()
    claims["vc"]["name"] = "Leadership Badge"
    with pytest.raises(JoseError, match="changed after signing"):
        verify_vc_jwt(
            replace_payload(token, json.dumps(claims).encode()),
            resolve_key=resolver_for(rsa_key()),
        )


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"iss": "https://evil.example/issuer"}, "issuer"),
        ({"sub": "did:example:someone-else"}, "subject"),
        ({"jti": "urn:uuid:another"}, "jti"),
        ({"nbf": VALID_FROM + 3600}, "nbf date is not the credential's validFrom"),
        ({"nbf": "2010-01-01"}, "not a date in seconds"),
    ],
)
def test_claims_that_contradict_the_credential_are_refused(
    claims: dict[str, Any], message: str
) -> None:
    token = sign_jwt(vc_claims(**claims), rsa_key(), "RS256")
    with pytest.raises(JoseError, match=message):
        verify_vc_jwt(token, resolve_key=resolver_for(rsa_key()))


def test_exp_must_match_valid_until() -> None:
    vc = credential()
    vc["validUntil"] = "2030-01-01T00:00:00Z"
    token = sign_jwt(vc_claims(vc=vc, exp=VALID_FROM), rsa_key(), "RS256")
    with pytest.raises(JoseError, match="exp date is not the credential's validUntil"):
        verify_vc_jwt(token, resolve_key=resolver_for(rsa_key()))


def test_vcdm1_dates_are_compared_with_issuance_date() -> None:
    vc = credential()
    vc["@context"] = ["https://www.w3.org/2018/credentials/v1"]
    del vc["validFrom"]
    vc["issuanceDate"] = "2010-01-01T00:00:00Z"
    token = sign_jwt(vc_claims(vc=vc), rsa_key(), "RS256")
    assert verify_vc_jwt(token, resolve_key=resolver_for(rsa_key()))["issuanceDate"]
    wrong = sign_jwt(vc_claims(vc=vc, nbf=VALID_FROM + 7200), rsa_key(), "RS256")
    with pytest.raises(JoseError, match="issuanceDate"):
        verify_vc_jwt(wrong, resolve_key=resolver_for(rsa_key()))


def test_key_lookup_errors_reach_the_caller_unchanged() -> None:
    class KeyUnavailable(Exception):
        pass

    def nowhere(header: dict[str, Any], payload: dict[str, Any]) -> Any:
        raise KeyUnavailable(header.get("kid"))

    token = sign_jwt(vc_claims(), rsa_key(), "RS256", kid="#key-1")
    with pytest.raises(KeyUnavailable, match="#key-1"):
        verify_vc_jwt(token, resolve_key=nowhere)


def test_key_lookup_is_not_consulted_for_a_refused_algorithm() -> None:
    def must_not_be_called(header: dict[str, Any], payload: dict[str, Any]) -> Any:
        raise AssertionError("resolve_key called")

    token = unsigned_token({"alg": "HS512"}, vc_claims(), b"x")
    with pytest.raises(JoseError, match="'HS512'"):
        verify_vc_jwt(token, resolve_key=must_not_be_called)


@pytest.mark.parametrize(
    ("header", "accepted"),
    [({"typ": "JWT"}, True), ({"typ": "application/vc+jwt"}, True), ({"typ": "vc+ld+jwt"}, True),
     ({"typ": "dpop+jwt"}, False), ({"cty": "vc"}, True), ({"cty": "JWT"}, False),
     ({"crit": ["exp"]}, False)],
)  # fmt: skip
def test_vc_jwt_header_types_are_checked(header: dict[str, Any], accepted: bool) -> None:
    token = jwt.encode(vc_claims(), rsa_key(), algorithm="RS256", headers=header)
    if accepted:
        assert verify_vc_jwt(token, resolve_key=resolver_for(rsa_key()))
    else:
        with pytest.raises(JoseError):
            verify_vc_jwt(token, resolve_key=resolver_for(rsa_key()))
