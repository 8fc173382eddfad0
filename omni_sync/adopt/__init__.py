"""Adopting an account: its scenarios written as files (import), its keys for applications."""
