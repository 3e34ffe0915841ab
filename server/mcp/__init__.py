"""An MCP server for AI assistants (the official ``mcp`` SDK): tools over Margins' services.

``tools`` holds the server; ``http`` serves it at /api/mcp with an API token;
``transport`` runs one such request through the SDK;
``cli`` serves it over stdio (``flask --app server mcp --user NAME``).
This face imports nothing of server.api, server.web or server.readwise,
and the app loads the SDK only when an MCP request or command comes.
"""
