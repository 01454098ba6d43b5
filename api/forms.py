"""Writes through the web's own forms, so the API checks what the pages check, in their words."""

from django import forms
from rest_framework import serializers


def form_data(form: forms.BaseForm, changes: dict) -> dict:
    """Return what the form shows now (its instance's values) with the changes on top.

    A PATCH names only what it changes; the form needs every field to validate.
    """
    data = {name: form[name].value() for name in form.fields}
    data.update({name: "" if value is None else value for name, value in changes.items()})
    return {name: value for name, value in data.items() if value is not None}


def valid(form: forms.BaseForm, names: dict[str, str] | None = None) -> forms.BaseForm:
    """Return the form once valid; otherwise raise its errors as the API's validation error.

    `names` maps a form field to the API field it stands for ("repeat_text" → "recurrence").
    """
    if form.is_valid():
        return form
    names = names or {}
    raise serializers.ValidationError(
        {
            "non_field_errors" if field == "__all__" else names.get(field, field): errors
            for field, errors in form.errors.items()
        }
    )
