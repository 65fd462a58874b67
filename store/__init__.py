"""The store: bookmarks, notes, comparisons and settings in one TinyDB file, and Markdown export.

Never imports textual.  See ``store.db.Store``.
"""
