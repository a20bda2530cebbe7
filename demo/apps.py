from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Teltow demo: data files under demo/data/ and the seed_demo command that loads them.

    At the top of the layering: it may import every app, and no app imports it.
    """

    name = "demo"
    verbose_name = "Demo-Daten"
