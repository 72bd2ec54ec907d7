"""The portfolio app's models, one module per concern."""

from portfolio.models.attestations import (
    Attestation,
    AttestationImmutable,
    AttestationRequest,
    Statement,
)
from portfolio.models.exports import Export, ExportKind, ExportState
from portfolio.models.review import (
    GOAL_TITLE_MAX,
    FeedbackComment,
    FeedbackRequest,
    FeedbackThread,
    Goal,
    Notification,
    NotificationKind,
    NotificationPreference,
    ReviewMark,
    ReviewMeeting,
    first_sentence,
)
from portfolio.models.showcases import Section, ShareLink, Showcase, ShowcaseItem

__all__ = [
    "GOAL_TITLE_MAX",
    "Attestation",
    "AttestationImmutable",
    "AttestationRequest",
    "Export",
    "ExportKind",
    "ExportState",
    "FeedbackComment",
    "FeedbackRequest",
    "FeedbackThread",
    "Goal",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "ReviewMark",
    "ReviewMeeting",
    "Section",
    "ShareLink",
    "Showcase",
    "ShowcaseItem",
    "Statement",
    "first_sentence",
]
