from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "rewire.diary"
    label = "diary"
