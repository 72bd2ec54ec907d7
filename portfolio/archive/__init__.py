"""The full-account archive: export of everything a learner has as one ZIP, its import
into an account, and Leap2A. `safezip` is the one way any of them opens an uploaded ZIP."""
