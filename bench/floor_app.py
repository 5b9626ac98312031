"""The framework floor: a bare Django application whose one view returns a saved copy of
the home page. Nothing else runs (no database, no middleware, no templates), so no page
of the real site, cached or not, can be served faster by Django under the same server.

    BENCH_FLOOR_FILE=saved.html gunicorn -c deploy/gunicorn.conf.py bench.floor_app
"""

import os
from pathlib import Path

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import re_path

settings.configure(
    DEBUG=False,
    SECRET_KEY="floor",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)
django.setup()

BODY = Path(os.environ["BENCH_FLOOR_FILE"]).read_bytes()


def page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"", page)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
