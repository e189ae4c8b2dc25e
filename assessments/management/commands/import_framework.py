"""`manage.py import_framework --from FORMAT PATH`: a published maturity model, from its own
files, as a Ladder framework (docs/frameworks.md, "Importing a published model")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.domain import limits
from assessments.domain.framework_file import FrameworkError, load_yaml_documents
from assessments.domain.published_models.ciso_assistant import ciso_assistant_framework
from assessments.domain.published_models.dsomm import dsomm_framework
from assessments.domain.published_models.samm import samm_framework

from .load_framework import load_framework_text, read_text_file

CONVERTERS = {
    "ciso-assistant": ciso_assistant_framework,
    "dsomm": dsomm_framework,
    "samm": samm_framework,
}
# A model published as a folder of YAML files (SAMM's `model/`): at most this many files.
MAX_MODEL_FILES = 5000


class Command(BaseCommand):
    help = (
        "Convert a published maturity model (OWASP SAMM's model folder, DSOMM's "
        "generated/model.yaml, a CISO Assistant library) to a Ladder framework and load it, "
        "saying what the model carries that Ladder does not."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="model",
            required=True,
            choices=sorted(CONVERTERS),
            help="the model's format",
        )
        parser.add_argument(
            "path", help="the model's file, or for samm its folder of YAML files (model/)"
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="write the Ladder framework file there instead of loading it (to read or "
            "edit it first, then load it with load_framework)",
        )

    def handle(self, model, path, output=None, **options):
        try:
            conversion = CONVERTERS[model](read_documents(path), path)
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


def read_documents(path: str) -> list:
    """Every YAML document of the file, or of every .yml/.yaml file under the folder (in
    name order), each read under the framework file's bounds; the folder's files together
    no larger than one framework file."""
    folder = Path(path)
    if not folder.is_dir():
        return load_yaml_documents(read_text_file(path), path)
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    if not files:
        raise CommandError(f"{path}: no .yml or .yaml file in this folder")
    if len(files) > MAX_MODEL_FILES:
        raise CommandError(f"{path}: {len(files):,} YAML files (at most {MAX_MODEL_FILES:,})")
    total = sum(p.stat().st_size for p in files)
    if total > limits.MAX_FRAMEWORK_FILE_BYTES:
        raise CommandError(
            f"{path}: its YAML files hold {limits.size_text(total)} "
            f"(at most {limits.size_text(limits.MAX_FRAMEWORK_FILE_BYTES)})"
        )
    documents = []
    for file in files:
        documents += load_yaml_documents(read_text_file(str(file)), str(file))
    return documents
