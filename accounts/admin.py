from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.models import Cohort, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name", "role")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "name", "role", "is_active", "date_joined")
    # Cohort membership is managed (and shown) on each cohort page.
    list_filter = ("role", "is_active")
    search_fields = ("email", "name")
    readonly_fields = ("public_id", "date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("name", "role", "time_zone", "is_active")}),
        (_("Django superuser"), {"classes": ("collapse",), "fields": ("is_superuser",)}),
        (_("Record"), {"fields": ("public_id", "date_joined", "last_login")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "role", "usable_password", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ()


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "tutor_names", "learner_count", "created_at")
    search_fields = ("name",)
    filter_horizontal = ("tutors", "learners")
    readonly_fields = ("public_id", "created_at", "updated_at")

    def get_queryset(self, request: Any) -> Any:

        return (
            super()
            .get_queryset(request)
            .annotate(_learner_count=Count("learners", distinct=True))
            .prefetch_related("tutors")
        )

    @admin.display(description=_("tutors"))
    def tutor_names(self, cohort: Cohort) -> str:
        return ", ".join(t.display_name for t in cohort.tutors.all())

    @admin.display(description=_("learners"), ordering="_learner_count")
    def learner_count(self, cohort: Any) -> int:
        return int(cohort._learner_count)


# allauth's own admin shows each authenticator's data: the TOTP secret and the seed of
# the recovery codes. Ours shows who has which kind, and lets an admin remove them (for
# someone who lost their phone and codes); never the secrets, nor a way to add or edit.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    search_fields = ("user__email", "user__name")
    list_select_related = ("user",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


import accounts.institutions.admin  # noqa: E402, F401  (registers the institution models)
