"""Where imported Leap2A entries went: importing the same file again creates nothing new.

An entry is known by its feed's id and its own id (both as the file states them), kept as
one SHA-256 per learner. The row points at what the entry became; when the learner deletes
that, the row goes too, and a later import brings the entry back.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

from artefacts.models import Artefact
from badges.models import Badge
from portfolio.models.showcases import Showcase
from reflections.models import Reflection

_EXACTLY_ONE = (
    Q(artefact__isnull=False, reflection__isnull=True, badge__isnull=True, showcase__isnull=True)
    | Q(artefact__isnull=True, reflection__isnull=False, badge__isnull=True, showcase__isnull=True)
    | Q(artefact__isnull=True, reflection__isnull=True, badge__isnull=False, showcase__isnull=True)
    | Q(artefact__isnull=True, reflection__isnull=True, badge__isnull=True, showcase__isnull=False)
)


def leap2a_source_key(*, feed_id: str, entry_id: str) -> str:
    return hashlib.sha256(f"{feed_id}\n{entry_id}".encode()).hexdigest()


class Leap2AEntry(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source_key = models.CharField(max_length=64)
    entry_id = models.CharField(max_length=500)  # as the file wrote it (cut to fit), to read
    artefact = models.ForeignKey(
        Artefact, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    badge = models.ForeignKey(
        Badge, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    showcase = models.ForeignKey(
        Showcase, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "source_key"], name="leap2a_entry_once"),
            models.CheckConstraint(condition=_EXACTLY_ONE, name="leap2a_entry_one_target"),
        ]
        verbose_name = "imported Leap2A entry"

    def __str__(self) -> str:
        return self.entry_id

    @property
    def target(self) -> Artefact | Reflection | Badge | Showcase:
        return self.artefact or self.reflection or self.badge or self.showcase  # type: ignore[return-value]
