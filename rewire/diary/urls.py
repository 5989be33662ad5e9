from django.urls import path

from rewire.diary import views as diary

urlpatterns = [
    path("", diary.home, name="home"),
    path("checkins/new", diary.checkin_create, name="checkin_create"),
    path("checkins/<int:pk>/edit", diary.checkin_edit, name="checkin_edit"),
    path("checkins/<int:pk>/delete", diary.checkin_delete, name="checkin_delete"),
    path("flare", diary.flare, name="flare"),
    path("history", diary.history, name="history"),
]
