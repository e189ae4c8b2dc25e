from django.urls import path

from . import recommendation_views, views

urlpatterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
    path("compare/", views.compare, name="compare"),
    path("trends/", views.trends, name="trends"),
    path("assessments/<int:pk>/", views.unit_report, name="unit_report"),
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
