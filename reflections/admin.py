from django.contrib import admin

from reflections.models import ReflectionPrompt


@admin.register(ReflectionPrompt)
class ReflectionPromptAdmin(admin.ModelAdmin):
    list_display = ("title", "is_active", "position")
    list_editable = ("is_active", "position")
    search_fields = ("title", "body")
