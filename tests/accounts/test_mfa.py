"""TOTP two-factor authentication, driven with codes computed as an authenticator app would."""

import base64
import hashlib
import hmac
import struct
import time

from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, LearnerFactory


def totp(secret: str, *, step_offset: int = 0) -> str:
    """RFC 6238 code (SHA-1, 30 s, 6 digits), independent of allauth's own code."""
    counter = int(time.time()) // 30 + step_offset
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def test_turning_on_totp_makes_sign_in_ask_for_a_code(client: Client, db: None, settings) -> None:
    settings.MFA_TOTP_TOLERANCE = 1  # lets the test use two distinct codes without waiting 30 s
    learner = LearnerFactory.create()
    client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})

    activate = reverse("mfa_activate_totp")
    # Turning on 2FA asks for the password again, even straight after signing in.
    response = client.get(activate)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    assert client.get(activate).status_code == 200
    secret = client.session["mfa.totp.secret"]
    bad = client.post(activate, {"code": "000000" if totp(secret) != "000000" else "111111"})
    assert "Incorrect code" in bad.content.decode()
    response = client.post(activate, {"code": totp(secret, step_offset=-1)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=learner, type=Authenticator.Type.TOTP).exists()

    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)
