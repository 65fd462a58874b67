"""Start the installed reader headless on the bundled samples and wait for a populated screen.

Prints ``populated: N notices, section …`` and exits 0, or exits 1 after 60 s.
"""

from __future__ import annotations

import asyncio
import sys

from textual.pilot import Pilot

from zhenggai.tui.app import make_app
from zhenggai.tui.screens.main import MainScreen


async def wait_populated(pilot: Pilot[None]) -> None:
    """Poll until the district list and a section are on screen, then quit."""
    for _ in range(600):
        await asyncio.sleep(0.1)
        screen = pilot.app.screen
        if isinstance(screen, MainScreen) and screen.corpus is not None and screen.section is not None:
            print(f"populated: {len(screen.corpus.notices)} notices, section {screen.section.id}")
            pilot.app.exit()
            return
    print("the reader never populated", file=sys.stderr)
    pilot.app.exit(return_code=1)


if __name__ == "__main__":
    app = make_app()
    app.run(headless=True, auto_pilot=wait_populated)
    sys.exit(app.return_code or 0)
