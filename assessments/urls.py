from django.urls import path

from . import audit_views, views, workbook_views

urlpatterns = [
    path("", views.home, name="home"),
    path("assessments/<int:pk>/", views.assessment_overview, name="assessment_overview"),
    path(
        "assessments/<int:pk>/capabilities/<str:capability_code>/",
        views.capability_answers,
        name="capability_answers",
    ),
    path("assessments/<int:pk>/answers/", views.consolidated, name="consolidated_answers"),
    path("assessments/<int:pk>/submit/", views.submit, name="assessment_submit"),
    path("assessments/<int:pk>/reopen/", views.reopen, name="assessment_reopen"),
    path(
        "assessments/<int:pk>/workbook/",
        workbook_views.workbook_download,
        name="assessment_workbook",
    ),
    path("assessments/<int:pk>/upload/", workbook_views.workbook_upload, name="assessment_upload"),
    path("audit/", audit_views.audit_log, name="audit_log"),
]
