"""The canonical order model: pure domain code, no I/O, no web framework, no SQL."""
