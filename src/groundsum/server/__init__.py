"""The HTTP interface: ``groundsum serve`` runs a FastAPI app (``app.create_app``) on uvicorn;
``groundsum mcp`` serves the same work as MCP tools (``mcp``).

Kept free of imports so the static page assets in ``static/`` can be read (the ``--format html``
report embeds them) without the ``server`` extra installed.
"""
