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
    """Status and sign-off change only through submit and reopen, which are audited."""

    list_display = ["unit", "cycle", "status", "submitted_by", "submitted_at"]
    list_filter = ["status", "cycle__name"]
    readonly_fields = ["status", "submitted_by", "submitted_at", "answers_sha256"]


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["sequence", "at", "actor", "action", "organisation", "unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
