from django.urls import path, re_path

from .views import downloads, engagement, planning, portfolio, templates, unit_report

IMAGE = r"(?P<image_format>png|svg)"

urlpatterns = [
    path("portfolio/", portfolio.portfolio, name="portfolio"),
    path("compare/", portfolio.compare, name="compare"),
    path("trends/", portfolio.trends, name="trends"),
    path("assessments/<int:pk>/", unit_report.unit_report, name="unit_report"),
    # downloads (reports/views/downloads.py)
    path("portfolio/deck.pptx", downloads.portfolio_deck, name="portfolio_deck"),
    path("portfolio/report.xlsx", downloads.portfolio_workbook, name="portfolio_workbook"),
    path("portfolio/scores.csv", downloads.portfolio_scores_csv, name="portfolio_scores_csv"),
    path("portfolio/answers.csv", downloads.portfolio_answers_csv, name="portfolio_answers_csv"),
    re_path(rf"^portfolio/chart\.{IMAGE}$", downloads.portfolio_chart, name="portfolio_chart"),
    re_path(rf"^compare/chart\.{IMAGE}$", downloads.compare_chart, name="compare_chart"),
    re_path(rf"^trends/chart\.{IMAGE}$", downloads.trends_chart, name="trends_chart"),
    path("assessments/<int:pk>/scores.csv", downloads.unit_scores_csv, name="unit_scores_csv"),
    re_path(
        rf"^assessments/(?P<pk>[0-9]+)/chart\.{IMAGE}$",
        downloads.unit_report_chart,
        name="unit_report_chart",
    ),
    path(
        "organisations/<slug:organisation>/roadmap/",
        planning.organisation_roadmap,
        name="organisation_roadmap",
    ),
    path(
        "organisations/<slug:organisation>/deom/",
        planning.organisation_deom,
        name="organisation_deom",
    ),
    path(
        "organisations/<slug:organisation>/engagement/",
        engagement.engagement_inputs,
        name="engagement_inputs",
    ),
    path(
        "organisations/<slug:organisation>/deck-template/",
        templates.deck_template,
        name="deck_template",
    ),
    path(
        "organisations/<slug:organisation>/units/<slug:unit>/roadmap/",
        planning.unit_roadmap,
        name="unit_roadmap",
    ),
    path(
        "organisations/<slug:organisation>/units/<slug:unit>/targets/",
        engagement.unit_targets,
        name="unit_targets",
    ),
]
