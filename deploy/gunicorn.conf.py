"""Gunicorn for Seoul Solution: ``gunicorn -c deploy/gunicorn.conf.py portal.wsgi``.

Every value can be set from the environment, so one file serves every machine:

    GUNICORN_BIND      address to listen on (default 127.0.0.1:8000; nginx is in front)
    WEB_CONCURRENCY    worker processes (default: the number of cores)
    GUNICORN_THREADS   threads per worker (default 1; more make gunicorn use threaded
                       workers, which keep nginx's upstream connections alive while a
                       worker waits on the database)
    GUNICORN_TIMEOUT   seconds before a stuck worker is replaced (default 30)
    GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket (default: none)
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# nginx keeps its connections to the workers open (upstream keep-alive); keep them a
# little longer than nginx's keepalive_timeout for upstreams (60 s) would be wasteful,
# so a short idle time is enough between two requests of one connection.
keepalive = 5
# GUNICORN_MAX_REQUESTS: replace each worker after that many requests (with jitter, so
# they do not all restart together); 0, the default, never replaces them.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Load the application (search analysers, embeddings) once in the master: the workers
# share its memory pages instead of each loading its own copy.
preload_app = True
# Only nginx talks to gunicorn: trust its X-Forwarded-* headers from loopback.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "seoulsolution"


def pre_fork(server, worker):
    # Everything loaded so far lives as long as the worker: take it out of the garbage
    # collector's sight. Full collections then no longer walk (and touch, un-sharing the
    # memory pages of) the whole application in every worker.
    gc.freeze()


def when_ready(server):
    # Load the Korean analyser and the embedding model in the master, before the
    # workers are forked: they share its copy (several hundred MB) instead of each
    # loading its own on its first search.
    from portal.search.analysis import analyse
    from portal.search.embeddings import embed_one

    analyse("서울 대중교통 정책", for_query=True)
    embed_one("Seoul public transport policy")


# Gunicorn's control socket is off unless GUNICORN_CONTROL_SOCKET names one: its default
# path is the same for every server a user runs, so two servers on one machine (the
# stack in deploy/stack.py) would take it from each other.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
