from django.contrib import admin

from badges.models import Stack, StackItem


class StackItemInline(admin.TabularInline):
    model = StackItem
    extra = 3


@admin.register(Stack)
class StackAdmin(admin.ModelAdmin):
    """Institution admins define stacks for everyone here (leave the owner empty)."""

    list_display = ("name", "owner")
    list_filter = (("owner", admin.EmptyFieldListFilter),)
    search_fields = ("name",)
    raw_id_fields = ("owner",)
    inlines = [StackItemInline]
