"""Files to desired state: omni-sync.yaml and the scenario files, rendered, parsed and checked."""
