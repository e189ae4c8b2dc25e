from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments"
    default = True

    def ready(self):
        from . import signals  # noqa: F401  (connects the login signal receivers)


class LadderAdminConfig(admin_apps.AdminConfig):
    """In INSTALLED_APPS instead of django.contrib.admin: the admin for superusers only."""

    default = False
    default_site = "assessments.admin_site.LadderAdminSite"
