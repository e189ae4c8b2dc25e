"""The Django admin (superusers only, assessments/admin_site.py).

It is one more door into the database, so it follows the same rules as the others: every
text against its limit (assessments/domain/limits.py), and submitted means immutable.
What a submitted assessment hangs on — its unit's organisation and slug, its cycle's
name, framework and organisation — is read-only here while any assessment of that unit or
cycle is submitted (framework and organisation as soon as there is any assessment at all:
answers belong to the cycle's framework and the unit's organisation); the change page
says why. Answers and responses are not in the admin at all: they change through the
questionnaire or an import, both audited.
"""

from django import forms
from django.contrib import admin, messages

from . import models
from .domain import limits

_TEXT_LIMITS = {column: limit for limit in limits.TEXTS for column in limit.columns}
SUBMITTED = models.Assessment.Status.SUBMITTED


class LimitedTextForm(forms.ModelForm):
    """Every stored text of the model against its limit, as every other door checks it."""

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model.__name__
        for name, value in list(cleaned.items()):
            limit = _TEXT_LIMITS.get(f"{model}.{name}")
            problem = (
                limits.text_problem(value, limit) if limit and isinstance(value, str) else None
            )
            if problem:
                self.add_error(name, f"The {limit.label} {problem}.")
        return cleaned


class GuardedAdmin(admin.ModelAdmin):
    """Read-only fields that depend on the object, with the reason shown on its page."""

    form = LimitedTextForm

    def frozen(self, obj) -> tuple[list[str], str]:
        """(fields that may not change, why) for an existing object."""
        return [], ""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + self.frozen(obj)[0] if obj is not None else fields

    def get_prepopulated_fields(self, request, obj=None):
        # A slug follows the name only while the object is being added.
        return super().get_prepopulated_fields(request, obj) if obj is None else {}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            fields, reason = self.frozen(obj)
            if fields:
                labels = ", ".join(str(self.model._meta.get_field(f).verbose_name) for f in fields)
                messages.warning(request, f"Read-only here: {labels}. {reason}")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(models.Organisation)
class OrganisationAdmin(GuardedAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["consultants"]

    def frozen(self, obj):
        if models.Assessment.objects.filter(unit__organisation=obj, status=SUBMITTED).exists():
            return ["slug"], (
                "Submitted assessments, their exports and the audit log name this "
                "organisation by its slug."
            )
        return [], ""


@admin.register(models.BusinessUnit)
class BusinessUnitAdmin(GuardedAdmin):
    list_display = ["name", "organisation", "region", "tags"]
    list_filter = ["organisation", "region"]
    prepopulated_fields = {"slug": ["name"]}

    def frozen(self, obj):
        assessments = models.Assessment.objects.filter(unit=obj)
        if assessments.filter(status=SUBMITTED).exists():
            return ["organisation", "slug"], (
                "This unit has a submitted assessment: moving or renaming the unit would change "
                "whose and which answers were signed off. Reopen it first to change its answers."
            )
        if assessments.exists():
            return ["organisation"], (
                "This unit has assessments in its organisation's cycles: it cannot move to "
                "another organisation."
            )
        return [], ""


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit__organisation"]


@admin.register(models.Cycle)
class CycleAdmin(GuardedAdmin):
    list_display = ["name", "organisation", "framework", "is_open", "deadline"]

    def frozen(self, obj):
        assessments = models.Assessment.objects.filter(cycle=obj)
        if assessments.filter(status=SUBMITTED).exists():
            return ["organisation", "name", "framework", "profile"], (
                "This cycle has a submitted assessment: its answers were signed off for this "
                "cycle on this framework. Reopen the assessment to change its answers."
            )
        if assessments.exists():
            return ["organisation", "framework", "profile"], (
                "This cycle has assessments: their answers belong to its framework (and the "
                "profile it asks) and its organisation's units."
            )
        return [], ""


@admin.register(models.Framework)
class FrameworkAdmin(admin.ModelAdmin):
    """Frameworks are loaded with `manage.py load_framework`; here they are read-only."""

    list_display = ["code", "version", "name", "loaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Status and sign-off change only through submit and reopen, which are audited.

    A submitted assessment is read-only here too (no change, no delete, and so no
    delete of its unit or organisation, which would cascade to it) until a lead or
    consultant reopens it.
    """

    list_display = ["unit", "cycle", "status", "submitted_by", "submitted_at"]
    list_filter = ["status", "cycle__name"]
    readonly_fields = ["status", "submitted_by", "submitted_at", "answers_sha256"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # Moving an assessment to another unit or cycle would rewrite whose answers they are.
            return ["unit", "cycle", *self.readonly_fields]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == SUBMITTED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == SUBMITTED:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["organisation", "sequence", "at", "actor", "action", "unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
