"""The store: bookmarks, notes, codes and comparisons in one TinyDB file, settings in another, and exports.

Never imports textual.  See ``store.db.Store``.
"""
