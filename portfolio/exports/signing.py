"""Signing exports (PAdES, with pyHanko) and checking a signature on an uploaded copy.

The deployment's certificate comes from settings: EXPORT_SIGNING_PKCS12 (+ passphrase),
or EXPORT_SIGNING_KEY and EXPORT_SIGNING_CERT (PEM). With EXPORT_SIGNING_SELF_SIGNED
(on with DJANGO_DEBUG) and neither set, a self-signed certificate is made on first use
under EXPORT_SIGNING_DEV_DIR.
Checking never fetches anything (no CRL, OCSP or certificate download): the only
trust root is our own certificate.
"""

import datetime
import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)
DEV_COMMON_NAME = "Learner Portfolio (development signing certificate)"


class SigningNotConfigured(ImproperlyConfigured):
    pass


def sign_pdf(*, source: Path, target: Path, reason: str) -> None:
    """Write `source`, signed with the deployment's certificate, to `target` (an
    incremental update: the rendered bytes, PDF/A identification included, are kept)."""
    signer = _signer(*_credentials())
    meta = signers.PdfSignatureMetadata(
        field_name="Signature",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason[:200],
    )
    with source.open("rb") as unsigned, target.open("wb") as signed:
        writer = IncrementalPdfFileWriter(unsigned, strict=False)
        signers.sign_pdf(
            writer, meta, signer=signer, output=signed, bytes_reserved=_room_for(signer)
        )


def _room_for(signer: signers.SimpleSigner) -> int:
    """Bytes to reserve for the signature: what its certificates take, twice, and ample
    room for the signed attributes and the signature itself. Saying so spares pyHanko a
    trial signature (a second private-key operation) to measure it."""
    certificates = [signer.signing_cert, *signer.cert_registry]
    return 8192 + 2 * sum(len(cert.dump()) for cert in certificates if cert is not None)


@dataclass(frozen=True)
class SignatureCheck:
    present: bool
    intact: bool = False  # the signed bytes are unchanged and the signature is by that key
    ours: bool = False  # signed by this site's certificate
    whole_file: bool = False  # nothing was added after signing
    signer: str = ""


def signature_check(data: bytes) -> SignatureCheck:
    """What the first signature on `data` says. Never raises for a bad file."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        found = reader.embedded_signatures
        if not found:
            return SignatureCheck(present=False)
        status = validate_pdf_signature(found[0], _validation_context())
    except Exception:
        logger.info("Signature check failed on an uploaded file", exc_info=True)
        return SignatureCheck(present=False)
    return SignatureCheck(
        present=True,
        intact=bool(status.intact and status.valid),
        ours=bool(status.trusted),
        whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
        signer=_signer_name(status.signing_cert),
    )


def _signer_name(cert: Any) -> str:
    """Who signed, as a person reads it: the certificate's common name (else its whole
    subject), not "Common Name: …"."""
    if cert is None:
        return ""
    return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)


def _validation_context() -> ValidationContext:
    cert_path = _credentials()[1]
    root = asn1_x509.Certificate.load(
        x509.load_pem_x509_certificate(cert_path.read_bytes()).public_bytes(
            serialization.Encoding.DER
        )
    )
    return ValidationContext(trust_roots=[root], allow_fetching=False)


def _credentials() -> tuple[Path, Path, bytes | None]:
    """(key, certificate, passphrase) in PEM, made on first use in development."""
    pkcs12 = settings.EXPORT_SIGNING_PKCS12
    if pkcs12:
        return _from_pkcs12(pkcs12, settings.EXPORT_SIGNING_PASSPHRASE)
    passphrase = settings.EXPORT_SIGNING_PASSPHRASE.encode() or None
    if settings.EXPORT_SIGNING_KEY and settings.EXPORT_SIGNING_CERT:
        return Path(settings.EXPORT_SIGNING_KEY), Path(settings.EXPORT_SIGNING_CERT), passphrase
    if not settings.EXPORT_SIGNING_SELF_SIGNED:
        raise SigningNotConfigured(
            "Set EXPORT_SIGNING_KEY and EXPORT_SIGNING_CERT (or EXPORT_SIGNING_PKCS12)."
        )
    return _development_credentials(Path(settings.EXPORT_SIGNING_DEV_DIR))


@lru_cache(maxsize=4)
def _from_pkcs12(path: str, passphrase: str) -> tuple[Path, Path, bytes | None]:
    """PKCS#12 is unpacked once into PEM files beside it (readable by this user only)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, cert, _ = pkcs12.load_key_and_certificates(
        Path(path).read_bytes(), passphrase.encode() or None
    )
    if key is None or cert is None:
        raise SigningNotConfigured("EXPORT_SIGNING_PKCS12 holds no key and certificate.")
    folder = Path(settings.EXPORT_SIGNING_DEV_DIR) / "from-pkcs12"
    return _write_pem(folder, key, cert)


def _development_credentials(folder: Path) -> tuple[Path, Path, bytes | None]:
    key_path, cert_path = folder / "export-signing-key.pem", folder / "export-signing-cert.pem"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path, None
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, DEV_COMMON_NAME)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    logger.warning("Made a self-signed export signing certificate in %s", folder)
    return _write_pem(folder, key, cert)


def _write_pem(folder: Path, key: object, cert: x509.Certificate) -> tuple[Path, Path, None]:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_path, cert_path = folder / "export-signing-key.pem", folder / "export-signing-cert.pem"
    key_bytes = key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key_path.touch(mode=0o600)
    key_path.write_bytes(key_bytes)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path, None


def _signer(key: Path, cert: Path, passphrase: bytes | None) -> signers.SimpleSigner:
    """The signer for these files, loaded once per process while they stay unchanged
    (loading a key checks it, which takes a noticeable part of a second)."""
    changed = (key.stat().st_mtime_ns, cert.stat().st_mtime_ns)
    return _loaded_signer(key, cert, passphrase, changed)


@lru_cache(maxsize=4)
def _loaded_signer(
    key: Path, cert: Path, passphrase: bytes | None, _changed: tuple[int, int]
) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load(str(key), str(cert), key_passphrase=passphrase)
    if signer is None:
        raise SigningNotConfigured("The export signing key or certificate could not be read.")
    return signer
