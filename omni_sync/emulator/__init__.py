"""The local Infobip OMNI emulator: a Starlette app over a SQLite store, served by uvicorn
(``omni-sync emulator serve``) or run in-process for the ``embedded`` environment.

Every choice made where the API documents are silent is listed in ``README.md`` beside this file.
"""
