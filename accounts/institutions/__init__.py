"""Institutions on one site: their records, memberships, staff pages and bulk onboarding.

A person belongs to any number of institutions with a role in each. A learner's evidence
and portfolios are theirs (owned by the user), never the institution's, and stay with
them when they leave one.
"""
