"""The theme vocabulary in the desktop app: the Themes view, the quick theme picker,
the recent-themes list, and playing clips one after another.

See :mod:`desk.themes.view` (the view), :mod:`desk.themes.picker` (the picker used
when tagging and in search filters) and :mod:`desk.themes.playlist`.
"""
