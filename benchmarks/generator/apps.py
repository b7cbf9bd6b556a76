from django.apps import AppConfig


class GeneratorConfig(AppConfig):
    """The synthetic-data generator: `manage.py generate`. It lives beside the benchmarks,
    outside the product package: a checkout has it, an installed Kense does not."""

    name = "benchmarks.generator"
    label = "generator"
    verbose_name = "Synthetic data generator"
