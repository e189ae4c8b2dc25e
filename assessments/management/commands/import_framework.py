"""`manage.py import_framework --from dsomm PATH`: a published maturity model, from its own
file, as a Ladder framework (docs/frameworks.md, "Importing a published model")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.domain.framework_file import FrameworkError, load_yaml_documents
from assessments.domain.published_models.ciso_assistant import ciso_assistant_framework
from assessments.domain.published_models.dsomm import dsomm_framework

from .load_framework import load_framework_text, read_text_file

CONVERTERS = {"ciso-assistant": ciso_assistant_framework, "dsomm": dsomm_framework}


class Command(BaseCommand):
    help = (
        "Convert a published maturity model's file (DSOMM's generated/model.yaml, a CISO "
        "Assistant library) to a Ladder "
        "framework and load it, saying what the model carries that Ladder does not."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="model",
            required=True,
            choices=sorted(CONVERTERS),
            help="the model's format",
        )
        parser.add_argument("path", help="the model's file, e.g. DSOMM's generated/model.yaml")
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="write the Ladder framework file there instead of loading it (to read or "
            "edit it first, then load it with load_framework)",
        )

    def handle(self, model, path, output=None, **options):
        try:
            conversion = CONVERTERS[model](load_yaml_documents(read_text_file(path), path), path)
        except FrameworkError as error:
            raise CommandError(
                f"{len(error.problems)} problem(s), nothing imported:\n" + "\n".join(error.problems)
            ) from None
        header = conversion.framework["framework"]
        self.stdout.write(f"Converted {header['name']} {header['version']} from {path}.")
        self.stdout.write("Not carried into Ladder:")
        for line in conversion.not_carried:
            self.stdout.write(f"  - {line}")
        text = conversion.framework_text()
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{output}: cannot be written ({error})") from None
            self.stdout.write(f"Wrote {output}; load it with load_framework {output}")
            return
        self.stdout.write(load_framework_text(text, f"{path} (as converted from {model})"))
