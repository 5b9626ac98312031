"""Programme applications in the admin: a list with filters, search and CSV export for the
"Programme staff" group; status changes go through the service, which records who and when."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic.models import EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from portal.core.admin_views import RecordIndexView, RecordInspectView
from portal.core.permissions import VisitorRecordPolicy
from portal.programmes.models import ProgrammeApplication
from portal.programmes.services import application_status_change

register_permission_policy(ProgrammeApplication, VisitorRecordPolicy(ProgrammeApplication))


class ApplicationEditView(EditView):
    """Staff change only the status; the service records the change."""

    def save_instance(self):
        return application_status_change(
            application=self.object, status=self.form.cleaned_data["status"], by=self.request.user
        )


class ProgrammeApplicationViewSet(ModelViewSet):
    model = ProgrammeApplication
    icon = "form"
    menu_label = _("Applications")
    add_to_admin_menu = True
    menu_order = 210
    # Applications come from visitors only; staff read, export and move them (the
    # permission policy refuses adding and deleting).
    inspect_view_enabled = True
    index_view_class = RecordIndexView
    inspect_view_class = RecordInspectView
    edit_view_class = ApplicationEditView
    form_fields = ["status"]
    list_display = [
        "reference",
        "programme",
        "organisation",
        "contact_name",
        "email",
        "participants",
        "status",
        "created_at",
    ]
    list_filter = ["programme", "status", "created_at"]
    search_fields = ["reference", "organisation", "contact_name", "email", "motivation"]
    list_export = [
        "reference",
        "programme",
        "created_at",
        "language",
        "organisation",
        "contact_name",
        "email",
        "phone",
        "participants",
        "motivation",
        "answers_text",
        "status",
        "acknowledged_at",
        "anonymised_at",
    ]
    export_filename = "programme-applications"
    inspect_view_fields = [
        "reference",
        "programme",
        "created_at",
        "language",
        "organisation",
        "contact_name",
        "email",
        "phone",
        "participants",
        "motivation",
        "answers_text",
        "status",
        "acknowledged_at",
        "acknowledgement_failed_at",
        "anonymised_at",
        "status_history",
    ]
    ordering = ["-created_at"]


@hooks.register("register_admin_viewset")
def register_programme_application_viewset():
    return ProgrammeApplicationViewSet("programme_applications")
