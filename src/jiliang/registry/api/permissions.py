"""DRF permission class over :mod:`jiliang.registry.policy` (the services check again with data)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from jiliang.registry import policy

_ACTION = {"POST": policy.CREATE, "PUT": policy.UPDATE, "PATCH": policy.UPDATE, "DELETE": policy.DELETE}


class RegistryPermission(BasePermission):
    """Reads are open (the view narrows its queryset); writes need a role that may write the model
    at all, then the rule for the very record."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        model = view.get_queryset().model
        return policy.may_write_model(policy.actor_for(request.user), model, _ACTION[request.method])

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return policy.can(policy.actor_for(request.user), _ACTION[request.method], obj)
