"""Permission policies of records that visitors create and staff only handle."""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy


class VisitorRecordPolicy(ModelPermissionPolicy):
    """Staff with the model's permissions view and change these records; nobody adds or
    deletes them in the admin, superusers included: a request or an application comes
    from a visitor, and personal data leaves through anonymisation, not deletion."""

    refused = frozenset({"add", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return action not in self.refused and super().user_has_permission_for_instance(
            user, action, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )
