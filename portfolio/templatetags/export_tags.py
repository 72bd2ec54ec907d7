"""Template helpers for exports: a fresh request key for the export form (so a double
click or a resent form makes one export), the PDF a share link offers, an export's
verification address as its PDF prints it, and a claim's APEL PDFs."""

import uuid

from django import template

from portfolio.exports.documents import VerifyAddress, verify_address
from portfolio.exports.selectors import exports_of_claim, pdf_for_link
from portfolio.models import Claim, Export, ShareLink

register = template.Library()


@register.simple_tag
def export_request_key() -> str:
    return uuid.uuid4().hex


@register.simple_tag
def offered_pdf(link: ShareLink | None) -> Export | None:
    return pdf_for_link(link=link) if link is not None else None


@register.simple_tag
def export_verify_address(export: Export) -> VerifyAddress:
    return verify_address(export)


@register.simple_tag
def claim_exports(claim: Claim) -> list[Export]:
    return list(exports_of_claim(claim=claim))
