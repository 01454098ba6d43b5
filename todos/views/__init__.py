"""The to-do app's views, one module per kind of page (see todos/urls.py)."""
