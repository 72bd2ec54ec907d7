"""APEL/RPL: programmes and their learning outcomes, claims that map a learner's evidence
to each outcome, the assessor's judgements, and the APEL evidence PDF (on the exports
machinery). Models live in portfolio/models/apel.py."""
