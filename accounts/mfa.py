"""Two-factor secrets are encrypted at rest.

allauth keeps each TOTP secret and the seed of each set of recovery codes in
`Authenticator.data`, and passes them through its MFA adapter's encrypt()/decrypt()
hooks. Here those hooks use Fernet (AES-128-CBC with an HMAC-SHA256 tag) under a key
derived by HKDF-SHA256 from MFA_ENCRYPTION_KEY, or from SECRET_KEY when that is unset.

Several keys may be given (comma-separated): the first encrypts, any of them decrypts,
so a key can be rotated without locking anyone out. Without MFA_ENCRYPTION_KEY,
SECRET_KEY_FALLBACKS play that part for SECRET_KEY.

Stored values carry a prefix; a value without it was never encrypted and is refused
(migration accounts.0002 encrypted the secrets stored before this existed).
"""

import base64
from collections.abc import Sequence

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "fernet1:"
_HKDF_INFO = b"learner-portfolio two-factor secrets v1"


class MFASecretError(Exception):
    """A stored two-factor secret could not be read: the deployment's keys are wrong."""


def _fernet_key(material: str) -> bytes:
    derived = HKDF(algorithm=SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        material.encode()
    )
    return base64.urlsafe_b64encode(derived)


def encryption_keys() -> list[str]:
    """The key material in force, newest first."""
    configured: Sequence[str] = getattr(settings, "MFA_ENCRYPTION_KEYS", [])
    if configured:
        return list(configured)
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _cipher() -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(material)) for material in encryption_keys()])


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX)


def secret_encrypt(text: str) -> str:
    return PREFIX + _cipher().encrypt(text.encode()).decode("ascii")


def secret_decrypt(stored: str) -> str:
    if not is_encrypted(stored):
        raise MFASecretError(
            "A two-factor secret is stored unencrypted; run `manage.py migrate accounts`."
        )
    try:
        return _cipher().decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except InvalidToken:
        raise MFASecretError(
            "A two-factor secret does not decrypt with MFA_ENCRYPTION_KEY (or SECRET_KEY "
            "when that is unset). Put the key it was stored with back in the list."
        ) from None


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return secret_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secret_decrypt(encrypted_text)
