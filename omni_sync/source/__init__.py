"""Source text, read the one way both files and message templates need: YAML with the position
of every value, the sandboxed Jinja and its error describer, problems located in the text; and
a file written whole (`files`)."""
