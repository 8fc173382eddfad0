"""Sizes set by where a plan is shown, kept apart so the CLI's options can name them without
importing the renderers (``--help`` stays light)."""

GITHUB_COMMENT_LIMIT = 65_536
"""The most characters GitHub keeps in one issue or pull-request comment."""
