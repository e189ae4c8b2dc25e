"""The Django admin, for admins (superusers) only.

Django lets any staff user with model permissions into the admin. In Ladder an
admin manages users, organisations, units and frameworks, which is everything:
so only superusers get in. A staff account that is not a superuser sees the admin
login page ("not authorised"), never a list or a record.
"""

from django.contrib import admin

from .forms.login import AdminLoginForm


class LadderAdminSite(admin.AdminSite):
    site_header = "Ladder administration"
    site_title = "Ladder admin"
    login_form = AdminLoginForm

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
