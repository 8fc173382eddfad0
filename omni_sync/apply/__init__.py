"""Plan -> account: paced, bounded, continuing past failures, reporting every change's fate."""
