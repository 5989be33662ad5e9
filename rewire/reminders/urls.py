from django.urls import path

from rewire.reminders import views as reminders

urlpatterns = [
    path("settings/reminders", reminders.reminder_settings, name="reminder_settings"),
    path("settings/reminders/snooze", reminders.reminder_snooze, name="reminder_snooze"),
    path("settings/reminders/push", reminders.push_subscribe, name="push_subscribe"),
    path("settings/reminders/push/off", reminders.push_off, name="push_off"),
    path("settings/reminders/calendar", reminders.calendar_feed, name="reminder_calendar_feed"),
    path(
        "settings/reminders/<slug:reminder_kind>/keep",
        reminders.reminder_keep,
        name="reminder_keep",
    ),
    # The links in a reminder email: the signed token is the key, no sign-in needed.
    path("reminders/open/<str:token>", reminders.reminder_open, name="reminder_open"),
    path("reminders/off/<str:token>", reminders.reminder_off, name="reminder_off"),
    path("reminders/calendar/<str:key>.ics", reminders.calendar_ics, name="reminder_calendar"),
]
