"""Encrypt the two-factor secrets stored before accounts.mfa encrypted them."""

from typing import Any

from django.db import migrations

from accounts.mfa import is_encrypted, secret_decrypt, secret_encrypt


def _convert(data: dict[str, Any], change: Any, done: Any) -> bool:
    """Apply `change` to each secret in one Authenticator's data not yet `done`."""
    changed = False
    for key in ("secret", "seed"):
        value = data.get(key)
        if isinstance(value, str) and not done(value):
            data[key] = change(value)
            changed = True
    codes = data.get("migrated_codes")
    if isinstance(codes, list):
        new_codes = [code if done(code) else change(code) for code in codes]
        changed = changed or new_codes != codes
        data["migrated_codes"] = new_codes
    return changed


def _each(apps: Any, change: Any, done: Any) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.exclude(type="webauthn").iterator():
        if _convert(authenticator.data, change, done):
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps: Any, schema_editor: Any) -> None:
    _each(apps, secret_encrypt, is_encrypted)


def decrypt_secrets(apps: Any, schema_editor: Any) -> None:
    _each(apps, secret_decrypt, lambda value: not is_encrypted(value))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
