from django.db import models


class Row(models.Model):
    pain = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    def __str__(self):
        return f"Row {self.pk}"
