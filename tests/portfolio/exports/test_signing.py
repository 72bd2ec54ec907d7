"""Signing with the deployment's certificate: a replaced certificate is used at once,
though a worker keeps the loaded signer between exports."""

from pathlib import Path

from pypdf import PdfWriter

from portfolio.exports.signing import sign_pdf, signature_check


def blank_pdf(folder: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = folder / "unsigned.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


def signed_by_the_current_certificate(folder: Path, name: str) -> bool:
    target = folder / name
    sign_pdf(source=blank_pdf(folder), target=target, reason="Test")
    check = signature_check(target.read_bytes())  # trusts only the current certificate
    return check.intact and check.ours


def test_a_replaced_signing_certificate_is_used_for_the_next_export(
    settings, tmp_path: Path
) -> None:
    settings.EXPORT_SIGNING_DEV_DIR = str(tmp_path / "signing")
    assert signed_by_the_current_certificate(tmp_path, "first.pdf")

    for pem in (tmp_path / "signing").iterdir():  # the operator replaces key and certificate
        pem.unlink()

    assert signed_by_the_current_certificate(tmp_path, "second.pdf")
