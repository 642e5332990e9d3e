"""Recording interviews in the app: inputs, the level meter, the Record view, recovery.

The audio path and its crash safety live in the archive (:mod:`archive.recording`);
this package only captures (``capture``: QtMultimedia, or a synthetic source for
tests), chooses formats (``devices``), and shows (``meter``, ``view``, ``recovery``,
``after``).  Modules are imported one by one, so the CLI loads no widgets.
"""
