"""Files to desired state: omni-sync.yaml, safe YAML, sandboxed Jinja, scenario files."""
