from django import forms

from transfer.importers import CHOICES
from transfer.plan import MAX_BYTES


class ImportForm(forms.Form):
    format = forms.ChoiceField(choices=CHOICES, label="What kind of file")
    file = forms.FileField(
        label="File", help_text="Up to 10 MB of UTF-8 text. Nothing is written before you confirm."
    )

    error_messages = {"too_big": "The file is larger than 10 MB."}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(self.error_messages["too_big"], code="too_big")
        return upload
