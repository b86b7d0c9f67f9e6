"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi run`."""

from webapp import create_app

app = create_app()
