"""Page routers, one module per page."""
