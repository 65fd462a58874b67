"""The bundled sample notices (the five files the project was created from, bytes unchanged)."""
