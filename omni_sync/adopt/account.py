"""Reading one environment's scenarios from its account, for import and keys."""

from __future__ import annotations

import asyncio

from omni_sync.client import open_client
from omni_sync.load.project import Project
from omni_sync.model.environment import Environment
from omni_sync.model.scenario import RemoteScenario


async def _list(project: Project, environment: Environment) -> list[RemoteScenario]:
    async with open_client(project.root, environment) as client:
        return list(await client.list_scenarios())


def read_scenarios(project: Project, environment: Environment) -> list[RemoteScenario]:
    return asyncio.run(_list(project, environment))
