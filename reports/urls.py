from django.urls import path, re_path

from . import export_views, recommendation_views, views

IMAGE = r"(?P<image_format>png|svg)"

urlpatterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
    path("compare/", views.compare, name="compare"),
    path("trends/", views.trends, name="trends"),
    path("assessments/<int:pk>/", views.unit_report, name="unit_report"),
    # downloads (reports/export_views.py)
    path("portfolio/deck.pptx", export_views.portfolio_deck, name="portfolio_deck"),
    path("portfolio/report.xlsx", export_views.portfolio_workbook, name="portfolio_workbook"),
    path("portfolio/scores.csv", export_views.portfolio_scores_csv, name="portfolio_scores_csv"),
    path("portfolio/answers.csv", export_views.portfolio_answers_csv, name="portfolio_answers_csv"),
    re_path(rf"^portfolio/chart\.{IMAGE}$", export_views.portfolio_chart, name="portfolio_chart"),
    re_path(rf"^compare/chart\.{IMAGE}$", export_views.compare_chart, name="compare_chart"),
    re_path(rf"^trends/chart\.{IMAGE}$", export_views.trends_chart, name="trends_chart"),
    path("assessments/<int:pk>/scores.csv", export_views.unit_scores_csv, name="unit_scores_csv"),
    re_path(
        rf"^assessments/(?P<pk>[0-9]+)/chart\.{IMAGE}$",
        export_views.unit_report_chart,
        name="unit_report_chart",
    ),
    path(
        "organisations/<slug:organisation>/roadmap/",
        recommendation_views.organisation_roadmap,
        name="organisation_roadmap",
    ),
    path(
        "organisations/<slug:organisation>/deom/",
        recommendation_views.organisation_deom,
        name="organisation_deom",
    ),
    path(
        "organisations/<slug:organisation>/engagement/",
        recommendation_views.engagement_inputs,
        name="engagement_inputs",
    ),
    path(
        "organisations/<slug:organisation>/units/<slug:unit>/roadmap/",
        recommendation_views.unit_roadmap,
        name="unit_roadmap",
    ),
    path(
        "organisations/<slug:organisation>/units/<slug:unit>/targets/",
        recommendation_views.unit_targets,
        name="unit_targets",
    ),
]
