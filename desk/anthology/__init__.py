"""Anthologies: saved selections of excerpts, built with a live preview, exported in
any format with consent and redaction applied by the archive.

- :mod:`.view`: the sidebar's list of saved anthologies.
- :mod:`.builder`: the builder dialog (selection, layout, live preview).
- :mod:`.preview`: the preview, rendered off the UI thread.
- :mod:`.clip_picker`: hand-picking clips from a search that shows only what may go out.
- :mod:`.export_dialog`: one export, with progress and Cancel.
"""
