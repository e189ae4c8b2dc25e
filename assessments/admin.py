from django.contrib import admin

from . import models


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["consultants"]


@admin.register(models.BusinessUnit)
class BusinessUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "region", "tags"]
    list_filter = ["organisation", "region"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit__organisation"]


@admin.register(models.Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "framework", "is_open"]


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
    consultant reopens it. Responses and answers are not in the admin at
    all: they change through the questionnaire or an import, both audited.
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
        if obj is not None and obj.status == models.Assessment.Status.SUBMITTED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == models.Assessment.Status.SUBMITTED:
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
