"""The workbench (`bulletin serve`): a server-rendered web front end over the same commands the CLI calls.

app.py makes the app (create_app), pages.py renders templates and error pages, guard.py is the one
middleware (request id, language, security headers, request cap, same-origin POSTs, no traceback to
the browser); home.py and issues.py hold the routes of their area.
"""
