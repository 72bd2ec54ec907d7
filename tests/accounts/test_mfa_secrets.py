"""Two-factor secrets are encrypted in the database and never shown in the admin."""

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.test import Client
from django.urls import reverse

from accounts.mfa import PREFIX, MFASecretError, secret_decrypt, secret_encrypt
from accounts.models import User
from tests.accounts.test_mfa import totp
from tests.conftest import People
from tests.factories import PASSWORD, LearnerFactory, UserFactory

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

migration = importlib.import_module("accounts.migrations.0002_encrypt_mfa_secrets")


def test_a_secret_turned_on_through_the_site_is_stored_encrypted(
    client: Client, db: None, settings
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    learner = LearnerFactory.create()
    client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    activate = reverse("mfa_activate_totp")
    client.post(client.get(activate)["Location"], {"password": PASSWORD})
    client.get(activate)
    secret = client.session["mfa.totp.secret"]
    assert client.post(activate, {"code": totp(secret, step_offset=-1)}).status_code == 302

    stored = Authenticator.objects.get(user=learner, type=Authenticator.Type.TOTP).data
    assert stored["secret"].startswith(PREFIX)
    assert secret not in str(stored)
    seed = Authenticator.objects.get(user=learner, type=Authenticator.Type.RECOVERY_CODES)
    assert seed.data["seed"].startswith(PREFIX)

    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": totp(secret)}).status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_recovery_codes_work_from_an_encrypted_seed(db: None) -> None:
    learner = LearnerFactory.create()
    codes = RecoveryCodes.activate(learner)
    assert codes.instance.data["seed"].startswith(PREFIX)
    first = codes.generate_codes()[0]
    assert RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).validate_code(first)


def test_a_secret_stored_in_the_clear_is_refused(db: None) -> None:
    with pytest.raises(MFASecretError, match="unencrypted"):
        secret_decrypt(SECRET)


def test_a_secret_under_an_unknown_key_is_refused_with_a_clear_message(settings) -> None:
    settings.MFA_ENCRYPTION_KEYS = ["the old key"]
    stored = secret_encrypt(SECRET)
    settings.MFA_ENCRYPTION_KEYS = ["a new key"]
    with pytest.raises(MFASecretError, match="MFA_ENCRYPTION_KEY"):
        secret_decrypt(stored)


def test_keys_rotate_new_first_old_still_read(settings) -> None:
    settings.MFA_ENCRYPTION_KEYS = ["the old key"]
    old = secret_encrypt(SECRET)
    settings.MFA_ENCRYPTION_KEYS = ["a new key", "the old key"]
    assert secret_decrypt(old) == SECRET
    new = secret_encrypt(SECRET)
    settings.MFA_ENCRYPTION_KEYS = ["a new key"]
    assert secret_decrypt(new) == SECRET


def test_without_a_key_setting_the_key_comes_from_secret_key(settings) -> None:
    settings.MFA_ENCRYPTION_KEYS = []
    stored = secret_encrypt(SECRET)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "rotated", [settings.SECRET_KEY]
    assert secret_decrypt(stored) == SECRET
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(MFASecretError):
        secret_decrypt(stored)


def test_the_migration_encrypts_secrets_stored_in_the_clear_and_back(db: None) -> None:
    learner = LearnerFactory.create()
    Authenticator.objects.bulk_create(
        [
            Authenticator(user=learner, type="totp", data={"secret": SECRET}),
            Authenticator(
                user=learner,
                type="recovery_codes",
                data={"seed": "ab" * 40, "used_mask": 0, "migrated_codes": ["12345678"]},
            ),
        ]
    )
    already = secret_encrypt("cd" * 40)
    other = LearnerFactory.create()
    Authenticator.objects.create(
        user=other, type="recovery_codes", data={"seed": already, "used_mask": 0}
    )

    migration.encrypt_secrets(apps, None)

    totp_data = Authenticator.objects.get(user=learner, type="totp").data
    assert totp_data["secret"].startswith(PREFIX) and SECRET not in str(totp_data)
    codes = Authenticator.objects.get(user=learner, type="recovery_codes").data
    assert codes["seed"].startswith(PREFIX) and codes["used_mask"] == 0
    assert [secret_decrypt(c) for c in codes["migrated_codes"]] == ["12345678"]
    assert Authenticator.objects.get(user=other).data["seed"] == already  # not twice
    assert TOTP(Authenticator.objects.get(user=learner, type="totp")).validate_code(totp(SECRET))

    migration.decrypt_secrets(apps, None)
    assert Authenticator.objects.get(user=learner, type="totp").data["secret"] == SECRET
    assert Authenticator.objects.get(user=other).data["seed"] == "cd" * 40


@pytest.fixture
def learner_totp(people: People) -> Authenticator:
    return TOTP.activate(people.learner, SECRET).instance


@pytest.fixture
def superuser(db: None) -> User:
    """The Django admin is for superusers only (institution admins have /staff/)."""
    return UserFactory.create(is_superuser=True, institution=False)


def test_the_admin_never_shows_a_secret(
    client: Client, people: People, superuser: User, learner_totp: Authenticator
) -> None:
    client.force_login(superuser)
    stored = learner_totp.data["secret"]
    pages = [
        reverse("admin:mfa_authenticator_changelist"),
        reverse("admin:mfa_authenticator_change", args=[learner_totp.pk]),
        reverse("admin:mfa_authenticator_delete", args=[learner_totp.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert SECRET not in html and stored not in html and PREFIX not in html, url
    assert people.learner.display_name in client.get(pages[1]).content.decode()


def test_the_admin_cannot_add_or_edit_an_authenticator(
    client: Client, people: People, superuser: User, learner_totp: Authenticator
) -> None:
    client.force_login(superuser)
    assert client.get(reverse("admin:mfa_authenticator_add")).status_code == 403
    change = reverse("admin:mfa_authenticator_change", args=[learner_totp.pk])
    response = client.post(change, {"type": "totp", "data": '{"secret": "AAAA"}'})
    assert response.status_code == 403
    learner_totp.refresh_from_db()
    assert secret_decrypt(learner_totp.data["secret"]) == SECRET


def test_the_admin_can_remove_a_lost_authenticator(
    client: Client, people: People, superuser: User, learner_totp: Authenticator
) -> None:
    client.force_login(superuser)
    url = reverse("admin:mfa_authenticator_delete", args=[learner_totp.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(pk=learner_totp.pk).exists()
