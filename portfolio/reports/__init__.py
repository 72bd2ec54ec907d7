"""The institution admin's report per cohort: on a staff page and as a CSV download."""
