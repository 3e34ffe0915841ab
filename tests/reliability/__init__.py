"""The reliability tests of issue 7: Margins under crashes, concurrency, fuzzing, bad input, other users.

Each runs the whole server (gunicorn over loopback HTTP, the real database)
and checks what a user relies on: no acknowledged write lost, no 5xx, no
data shown to the wrong person. For instance ``test_crash`` kills the
server with SIGKILL mid-stream of writes and finds every acknowledged
write after the restart; ``test_concurrency`` runs writers and readers at
once and finds no lost update and a complete, ordered change feed.

They live apart from the folders that mirror ``server/`` because each cuts
across the API, the services and the database together.
"""
