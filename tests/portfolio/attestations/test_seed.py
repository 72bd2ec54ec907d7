from typing import Any

import pytest
from django.core.management import call_command

from accounts.models import User
from portfolio.models import Attestation


@pytest.mark.django_db
def test_the_demo_has_one_attested_item_in_the_shared_showcase(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")  # idempotent
    learner = User.objects.get(email="learner1@demo.example")
    attestation = Attestation.objects.get(learner=learner)
    assert attestation.name == "Priya Shah" and attestation.email_domain == "acme.example"
    assert attestation.item.showcase_items.exists()
