"""Message templates: per-channel content, SMS part counting and their checks."""
