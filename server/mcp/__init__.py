"""An MCP server for AI assistants (the official ``mcp`` SDK): tools over Margins' services.

``tools`` holds the server; ``http`` serves it at /api/mcp with an API token;
``cli`` serves it over stdio (``flask --app server mcp --user NAME``).
This face imports nothing of server.api, server.web or server.readwise.
"""
