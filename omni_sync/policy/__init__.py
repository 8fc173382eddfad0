"""A team's policy rules for its flows, checked offline (model in model/policy.py)."""
