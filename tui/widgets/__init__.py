"""The reader's widgets: each receives data and posts messages; none does I/O."""
