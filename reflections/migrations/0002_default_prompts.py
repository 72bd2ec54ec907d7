"""Two well-known reflective models as starting prompts; admins may edit or hide them."""

from django.db import migrations

PROMPTS = [
    (
        "What? So what? Now what?",
        "## What happened?\n\n\n## So what? What did it mean for my learning?\n\n\n"
        "## Now what? What will I do next?\n",
    ),
    (
        "Gibbs' reflective cycle",
        "## Description: what happened?\n\n\n## Feelings: what was I thinking and feeling?\n\n\n"
        "## Evaluation: what was good and bad?\n\n\n## Analysis: what sense can I make of it?\n\n\n"
        "## Conclusion: what else could I have done?\n\n\n"
        "## Action plan: what will I do if it arises again?\n",
    ),
]


def add_prompts(apps, schema_editor):
    ReflectionPrompt = apps.get_model("reflections", "ReflectionPrompt")
    for position, (title, body) in enumerate(PROMPTS):
        ReflectionPrompt.objects.get_or_create(
            title=title, defaults={"body": body, "position": position}
        )


def remove_prompts(apps, schema_editor):
    ReflectionPrompt = apps.get_model("reflections", "ReflectionPrompt")
    ReflectionPrompt.objects.filter(title__in=[title for title, _ in PROMPTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reflections", "0001_initial")]

    operations = [migrations.RunPython(add_prompts, remove_prompts)]
