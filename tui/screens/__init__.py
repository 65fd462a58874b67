"""The reader's screens: they own loading and saving."""
