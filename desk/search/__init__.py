"""The Search view: one query over every transcript, translation, clip and interview,
in every script, with filters; results open the interview at their time or play in
place.  Searches run on worker threads (see :mod:`desk.search.runner`).
"""
