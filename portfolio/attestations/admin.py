"""Attestations in the Django admin: to look at, never to change. Every field is read
only, and adding, changing and deleting are refused (the model refuses them too)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from portfolio.models import Attestation, AttestationRequest


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]


@admin.register(Attestation)
class AttestationAdmin(_ReadOnly):
    list_display = (
        "item_title",
        "name",
        "role",
        "email_domain",
        "via",
        "created_at",
        "withdrawn_at",
    )
    list_filter = ("via",)
    search_fields = ("item_title", "name", "email_domain")
    exclude = ("withdraw_token_hash",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f for f in super().get_readonly_fields(request, obj) if f != "withdraw_token_hash"]


@admin.register(AttestationRequest)
class AttestationRequestAdmin(_ReadOnly):
    list_display = ("name", "email", "learner", "created_at", "expires_at", "answered_at")
    exclude = ("token_hash",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f for f in super().get_readonly_fields(request, obj) if f != "token_hash"]
