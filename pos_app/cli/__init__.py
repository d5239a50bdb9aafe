"""The command line: ``pos-app`` and its command groups, each parser beside its handlers."""

__all__ = ["main"]


def main(argv=None):
    """The ``pos-app`` entry point."""
    from pos_app.cli.main import main as run

    return run(argv)
