from django.urls import path

from .views import (
    assignments,
    audit,
    home,
    invitations,
    questionnaire,
    reminders,
    review,
    setup,
    signoff,
    workbook,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("assessments/<int:pk>/", questionnaire.assessment_overview, name="assessment_overview"),
    path(
        "assessments/<int:pk>/capabilities/<str:capability_code>/",
        questionnaire.capability_answers,
        name="capability_answers",
    ),
    path(
        "assessments/<int:pk>/capabilities/<str:capability_code>/autosave/",
        questionnaire.capability_autosave,
        name="capability_autosave",
    ),
    path(
        "assessments/<int:pk>/capabilities/<str:capability_code>/confirm-carried/",
        questionnaire.carried_confirm_view,
        name="carried_confirm",
    ),
    path(
        "assessments/<int:pk>/assignments/",
        assignments.assessment_assignments,
        name="assessment_assignments",
    ),
    path("assessments/<int:pk>/answers/", review.consolidated, name="consolidated_answers"),
    path("assessments/<int:pk>/sign-off/", signoff.signoff, name="assessment_signoff"),
    path(
        "assessments/<int:pk>/capabilities/<str:capability_code>/send-back/",
        review.send_back,
        name="capability_send_back",
    ),
    path(
        "assessments/<int:pk>/capabilities/<str:capability_code>/reviewed/",
        review.mark_reviewed,
        name="capability_reviewed",
    ),
    path("assessments/<int:pk>/submit/", signoff.submit, name="assessment_submit"),
    path("assessments/<int:pk>/reopen/", signoff.reopen, name="assessment_reopen"),
    path("assessments/<int:pk>/workbook/", workbook.workbook_download, name="assessment_workbook"),
    path("assessments/<int:pk>/upload/", workbook.workbook_upload, name="assessment_upload"),
    path("assessments/<int:pk>/remind/<int:user_pk>/", reminders.remind, name="assessment_remind"),
    path("preferences/email/", reminders.email_preferences, name="email_preferences"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("assessments/organisations/new/", setup.organisation_new, name="organisation_new"),
    path(
        "assessments/organisations/<slug:organisation>/invitations/",
        invitations.invitations,
        name="invitations",
    ),
    path(
        "assessments/organisations/<slug:organisation>/invitations/<int:pk>/resend/",
        invitations.resend,
        name="invitation_resend",
    ),
    path(
        "assessments/organisations/<slug:organisation>/setup/",
        setup.setup,
        name="organisation_setup",
    ),
    path(
        "assessments/organisations/<slug:organisation>/setup/cycles/",
        setup.cycle_new,
        name="cycle_new",
    ),
    path(
        "assessments/organisations/<slug:organisation>/setup/cycles/<int:pk>/carry/",
        setup.cycle_carry,
        name="cycle_carry",
    ),
    path(
        "assessments/organisations/<slug:organisation>/setup/units/",
        setup.unit_new,
        name="unit_new",
    ),
    path(
        "assessments/organisations/<slug:organisation>/setup/units/import/",
        setup.units_upload,
        name="units_upload",
    ),
    path("invitations/<int:pk>/<str:token>/", invitations.accept, name="invitation_accept"),
]
