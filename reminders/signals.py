"""Receivers that keep reminders and push subscriptions in step with the rest of the app."""
