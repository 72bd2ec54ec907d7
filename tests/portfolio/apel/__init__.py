"""APEL tests."""
