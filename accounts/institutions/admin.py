"""Institutions in the Django admin, for superusers (institution admins use /staff/)."""

from django.contrib import admin

from accounts.institutions.models import Institution, Membership, OnboardingBatch


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "slug", "contact_email")
    search_fields = ("name", "short_name", "slug")
    readonly_fields = ("public_id", "created_at", "updated_at")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "institution", "role", "state", "joined_at")
    list_filter = ("role", "state", "institution")
    search_fields = ("user__email", "user__name", "institution__name")
    raw_id_fields = ("user",)


@admin.register(OnboardingBatch)
class OnboardingBatchAdmin(admin.ModelAdmin):
    list_display = ("institution", "file_name", "state", "processed", "created_at")
    list_filter = ("state",)
    readonly_fields = ("rows", "new_cohorts")
