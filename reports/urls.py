from django.urls import path

from . import views

urlpatterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
    path("assessments/<int:pk>/", views.unit_report, name="unit_report"),
]
