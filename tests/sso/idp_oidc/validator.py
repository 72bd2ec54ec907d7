"""Claims of the test provider's one person, and the ways the tests make it misbehave."""

import base64
import json
from typing import Any

from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

# Set by POST /test/mode/ (urls.py); read on every token. One process, so a global.
MODE: dict[str, Any] = {}
DEFAULT_CLAIMS = {
    "email": "ada@riverside.ac.uk",
    "email_verified": True,
    "name": "Ada Lovelace",
}
OTHER_KEY = jwk.JWK.generate(kty="RSA", size=2048)


def _part(segment: str) -> dict[str, Any]:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # release every claim below

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        return {**DEFAULT_CLAIMS, **MODE.get("claims", {})}

    def finalize_id_token(self, id_token: Any, token: Any, token_handler: Any, request: Any) -> str:
        serialized = super().finalize_id_token(id_token, token, token_handler, request)
        if not (MODE.get("wrong_key") or MODE.get("audience")):
            return serialized
        header_segment, claims_segment, _signature = serialized.split(".")
        claims = _part(claims_segment)
        if MODE.get("audience"):
            claims["aud"] = MODE["audience"]
        # Same kid as the published key, so the relying party must check the signature.
        key = OTHER_KEY if MODE.get("wrong_key") else request.client.jwk_key
        token_out = jwt.JWT(header=json.dumps(_part(header_segment)), claims=json.dumps(claims))
        token_out.make_signed_token(key)
        return token_out.serialize()
