"""Helpers of the clean stage (`builder.clean.clean_sources` is the only entry point)."""
