"""The only place a socket lives: asyncio associations over app.z3950."""
