"""Desired + actual -> Plan (pure), and the renderers that show a plan."""
