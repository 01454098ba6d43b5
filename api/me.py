from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import RetrieveUpdateAPIView

from accounts.forms import SettingsForm
from accounts.models import User
from api.forms import form_data, valid


class MeSerializer(serializers.ModelSerializer):
    """The signed-in person's profile and preferences, checked as the Settings page checks them."""

    # A city is understood as on the Settings page ("Paris"); the form turns it into its zone.
    timezone = serializers.CharField(
        max_length=64, required=False, help_text="IANA name, such as Europe/Paris, or a city."
    )

    class Meta:
        model = User
        # The preferences are the Settings page's, so the two cannot drift apart.
        fields = ["username", "email", *SettingsForm.Meta.fields, "date_joined"]
        # A new address needs its confirmation link: that is done on the Settings page.
        read_only_fields = ["username", "email", "date_joined"]

    def update(self, instance, validated_data):
        form = SettingsForm(
            form_data(SettingsForm(instance=instance), validated_data), instance=instance
        )
        return valid(form).save()


@extend_schema_view(
    get=extend_schema(summary="Read your profile and preferences"),
    patch=extend_schema(summary="Change your preferences (time zone, week start…)"),
)
class MeView(RetrieveUpdateAPIView):
    """Read or change your profile and preferences."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user
