"""A real OpenID Connect provider for the sign-on tests: django-oauth-toolkit in its own
Django process (serve.py), with an RS256 key the fixture generates. The tests steer how
it misbehaves (wrong signing key, another audience, unverified email) through /test/mode/,
which exists only in this test provider."""
