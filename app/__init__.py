"""The shell: FastAPI app, routers, auth, CLI, settings and the demo firm."""
