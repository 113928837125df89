"""The accessibility audit: every screen, in every profile, measured against the rules.

A renderer (the UI's, or the fixtures' here) returns :class:`model.ScreenInfo` objects;
:func:`checks.run_checks` measures them against ``rules.toml``; :mod:`report` writes the
HTML and JSON reports; :mod:`cli` is ``untact-audit``.
"""
