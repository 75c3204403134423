"""The benchmark. ``run.py`` is run as a script (``make bench``); the package lets
``seed_demo --confessions N`` import the bulk story generator, ``bench.bulk``."""
