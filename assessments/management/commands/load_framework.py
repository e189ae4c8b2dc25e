from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.domain.framework_file import FrameworkError, parse_framework
from assessments.services.frameworks import framework_load


class Command(BaseCommand):
    help = "Validate a framework YAML file and load it (a new version if its code exists)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="framework YAML file, e.g. fixtures/frameworks/martech-infra.yaml"
        )

    def handle(self, path, **options):
        self.stdout.write(load_framework_text(read_text_file(path), str(path)))


def read_text_file(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot be read as UTF-8 text ({error})") from None


def load_framework_text(text: str, source: str) -> str:
    """Validate a framework file's text whole and load it; the line saying what was loaded.
    Every problem, and nothing loaded, as a CommandError."""
    try:
        spec = parse_framework(text, source=source)
        framework, created = framework_load(spec=spec)
    except FrameworkError as error:
        raise CommandError(
            f"{len(error.problems)} problem(s), nothing loaded:\n" + "\n".join(error.problems)
        ) from None
    except ValidationError as error:
        raise CommandError(f"{source}: {error.messages[0]}; nothing loaded") from None
    verb = "Loaded" if created else "Already loaded, unchanged:"
    return (
        f"{verb} {framework.code} {framework.version}: {len(spec.levels)} levels, "
        f"{len(spec.dimensions)} dimensions, {len(spec.capabilities)} capabilities, "
        f"{len(spec.questions)} questions"
    )
