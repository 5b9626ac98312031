"""The several-server stack (deploy/stack.py) on the PostgreSQL and Redis of this machine:
a page published through one app server is served fresh by the other, through nginx
too, and found by the other's search.

Runs where the suite runs on PostgreSQL (``DATABASE_URL``); the stack gets a database of
its own on that server, dropped afterwards, and a Redis database of its own.
"""

import json
import os
import socket
import time
import uuid
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text

from deploy import local_nginx
from deploy.http_client import Client
from deploy.stack import Stack

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_DB = 13

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"),
    reason="the stack runs on PostgreSQL: set DATABASE_URL (the CI's second run does)",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    import psycopg
    import redis

    if not local_nginx.available():
        pytest.fail("nginx is missing: run .ci/run (it installs nginx-light).")
    name = f"stack_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(DATABASE_URL)
    server = urlunsplit(parts._replace(path="/postgres"))
    redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    redis.Redis.from_url(redis_url).flushdb()
    stack = Stack(
        directory=str(tmp_path_factory.mktemp("stack")),
        database_url=urlunsplit(parts._replace(path=f"/{name}")),
        redis_url=redis_url,
        port=_free_port(),
        app_ports=[_free_port(), _free_port()],
        workers=1,
    )
    try:
        stack.up()
        yield stack
    finally:
        stack.down()
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis.Redis.from_url(redis_url).flushdb()


def _news_item(client: Client) -> dict:
    return json.loads(client.get("/api/v1/items?type=news&language=ko").body)["results"][0]


def test_a_page_published_on_one_server_is_served_fresh_by_the_other(stack):
    first, second = (Client(stack.app_url(port)) for port in stack.app_ports)
    through_nginx = Client(stack.url)
    item = _news_item(second)
    path = urlsplit(item["url"]).path
    # The second server and nginx hold the page in their caches.
    for client in (second, second, through_nginx):
        page = client.get(path)
        assert page.status == 200 and item["title"] in page.text
    assert page.headers["x-micro-cache"] in ("MISS", "HIT", "EXPIRED")
    assert second.get(path).headers["x-page-cache"] == "hit"

    # An editor publishes a new title through the first server's admin.
    word = f"광역버스{uuid.uuid4().hex[:6]}"
    title = f"{word} 노선 개편"
    editor = Client(stack.app_url(stack.app_ports[0]), https=True)
    editor.sign_in("admin", (stack.dir / "admin-password").read_text().strip())
    data = {
        "title": title,
        "slug": path.rstrip("/").rsplit("/", 1)[1],
        "date": item["date"],
        "author": "seoulsolution",
        "summary": "",
        "body": rich_text("<p>버스 노선 Bus routes</p>"),
        "action-publish": "publish",
    }
    edit = f"/admin/pages/{item['page_id']}/edit/"
    saved = editor.post_form(edit, nested_form_data(data), csrf_from=edit)
    assert saved.status == 302, saved.text[:2000]

    # The other server's next answer is the new page, not its cached copy.
    fresh = second.get(path)
    assert fresh.status == 200 and title in fresh.text
    assert fresh.headers["x-page-cache"] == "miss"
    assert title in first.get(path).text
    # nginx keeps a page a second, then answers once more from it while it fetches the
    # new one (stale-while-updating): fresh within about a second.
    deadline = time.monotonic() + 3
    while title not in through_nginx.get(path).text:
        assert time.monotonic() < deadline, "nginx still serves the old page after 3 s"
        time.sleep(0.2)

    # Both servers' search finds it by its new word.
    for client in (second, first):
        found = client.get(f"/ko/search/?q={quote(word)}")
        assert found.status == 200 and path in found.text
