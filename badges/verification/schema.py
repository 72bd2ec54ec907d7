"""OB 3.0 "Check that the OpenBadgeCredential conforms to the specification": a
credentialSchema of type 1EdTechJsonSchemaValidator2019 (or VCDM 2.0's JsonSchema) names
a JSON Schema the credential must match.

The schema is fetched like any other document the credential points at. When it cannot
be fetched, or needs other schemas we do not fetch ($ref to another address), the check
is "not checked", never "failed": an unserved schema says nothing against the credential.
"""

from typing import Any

import referencing
import referencing.exceptions
from django.utils.translation import gettext as _
from jsonschema.exceptions import SchemaError, best_match
from jsonschema.validators import validator_for

from badges.outcome import Outcome
from badges.parsing import as_list, id_of, types_of
from badges.verification.fetching import fetch_json

SCHEMA_TYPES = frozenset({"1EdTechJsonSchemaValidator2019", "JsonSchema"})


def check_schema(credential: dict[str, Any], outcome: Outcome) -> None:
    schemas = [s for s in as_list(credential.get("credentialSchema")) if types_of(s) & SCHEMA_TYPES]
    for entry in schemas:
        url = id_of(entry)
        got = fetch_json(url, what=_("the credential's schema"))
        if not got.ok or not isinstance(got.data, dict):
            outcome.not_checked(
                "schema",
                _("The credential's schema could not be checked: %(why)s") % {"why": got.message},
            )
            return
        error = _first_error(got.data, credential)
        if error is None:
            outcome.not_checked("schema", _("The credential's schema cannot be read."))
            return
        if error:
            outcome.failed(
                "schema",
                _("The credential does not match its schema: %(error)s") % {"error": error},
            )
            return
    if schemas:
        outcome.passed("schema", _("Matches the schema its issuer names."))


def _first_error(schema: dict[str, Any], credential: dict[str, Any]) -> str | None:
    """The most telling mismatch, "" when it matches, None when the schema is unusable."""
    try:
        validator_class = validator_for(schema)
        validator_class.check_schema(schema)
        validator = validator_class(schema, registry=referencing.Registry())
        error = best_match(validator.iter_errors(credential))
    except (SchemaError, referencing.exceptions.Unresolvable, RecursionError, ValueError):
        return None
    if error is None:
        return ""
    where = "/".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message
