"""The harness behind ``bench/run``: measured child processes, the emulator server, the table."""
