"""The production settings with the benchmark's bare views added to the URLconf.

Selected with DJANGO_SETTINGS_MODULE=bench.settings in the benchmark's server and
query-counting processes only: the bare views measure what the same server, with
the same settings and middleware, answers when a view does nothing at all. The
production URLconf (django_project.urls) never has them.
"""

from django_project.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
