"""``bootstrap`` (migrate, seed the demo firm, train models if missing) and ``serve``."""

from __future__ import annotations

import typer

from app.cli.common import command_session


def register(cli: typer.Typer) -> None:
    @cli.command("bootstrap")
    def bootstrap(
        demo: bool = typer.Option(True, help="Seed the demo firm when the database is empty"),
    ) -> None:
        """Make a fresh machine ready: schema at head, demo firm, trained models."""
        from sqlalchemy import func, select

        from app.demo.seed import seed_demo_cli
        from domain.tables import Consultant

        with command_session() as (runtime, session):
            empty = not session.scalar(select(func.count()).select_from(Consultant))
        if demo and empty:
            seed_demo_cli(runtime.settings)
        else:
            typer.echo("database already has data; not seeding the demo firm")
        from app.bootstrap_models import ensure_models

        ensure_models(runtime.settings)

    @cli.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
        port: int = typer.Option(8000, help="Port for the API and pages"),
        mlflow_ui: bool = typer.Option(
            True, help="Also serve the MLflow UI on the same store (loopback only)"
        ),
    ) -> None:
        """Serve the API and web pages (OpenAPI at /docs), with the MLflow UI beside them."""
        import uvicorn

        from app.feedback.mlflow_ui import start_mlflow_ui, stop_mlflow_ui
        from app.main import create_app
        from app.settings import get_settings

        settings = get_settings()
        ui = None
        if mlflow_ui and settings.mlflow.serve_ui:
            # MLflow's UI has no sign-in: start_mlflow_ui refuses any non-loopback host.
            ui = start_mlflow_ui(
                settings.mlflow_uri,
                settings.mlflow_artifacts_dir,
                host=settings.mlflow.ui_host,
                port=settings.mlflow.ui_port,
            )
            typer.echo(
                f"MLflow UI on http://{settings.mlflow.ui_host}:{settings.mlflow.ui_port} "
                "(runs, traces with approvers' feedback, registered models)"
            )
        typer.echo(f"OpsCopilot on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
        try:
            uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        finally:
            if ui is not None:
                stop_mlflow_ui(ui)
