"""Signals other apps may listen to without artefacts knowing about them."""

from django.dispatch import Signal

# Sent with `artefact_ids` (a list) when image previews became ready or failed, which
# queryset updates do without post_save. Shared pages show the image or say it failed.
previews_settled = Signal()
