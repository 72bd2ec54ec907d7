"""The portfolio app's models, one module per concern."""

from portfolio.models.review import (
    FeedbackComment,
    FeedbackRequest,
    FeedbackThread,
    Goal,
    Notification,
    NotificationKind,
    NotificationPreference,
    ReviewMark,
    ReviewMeeting,
)
from portfolio.models.showcases import Section, ShareLink, Showcase, ShowcaseItem

__all__ = [
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
]
