"""An organisation's PowerPoint template: the deck is built on its slide master and layouts
(logo, fonts, colours, placeholders). Stored in the database (no media storage to run)."""

from django.conf import settings
from django.db import models

from assessments.models import Organisation


class DeckTemplate(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="deck_template"
    )
    name = models.CharField(max_length=200, help_text="The uploaded file's name.")
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Deck template of {self.organisation}: {self.name}"
