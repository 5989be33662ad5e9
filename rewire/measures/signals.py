"""Told when a safety event is recorded, once its transaction has committed. The measures app
does not know who listens: the care app connects the clinician's alert email to it."""

from django.dispatch import Signal

# Sent with `event` (a SafetyEvent). Receivers must not fail the person's request.
safety_event_recorded = Signal()
