"""The portfolio app's models, one module per concern."""

from portfolio.models.showcases import Section, ShareLink, Showcase, ShowcaseItem

__all__ = ["Section", "ShareLink", "Showcase", "ShowcaseItem"]
