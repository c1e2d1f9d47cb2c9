"""Reads of data sharing: a subscriber's own subscriptions and delivery log (scope: owner)."""
from citysafe.core import scope
from citysafe.sharing.models import Delivery, Subscription


def subscriptions(user):
    return scope.narrow(user, Subscription.objects.all()).filter(owner=user)


def subscription(user, pk) -> Subscription:
    return subscriptions(user).get(pk=pk)


def deliveries(user, subscription_id, status: str = ""):
    queryset = scope.narrow(user, Delivery.objects.filter(subscription=subscription(user, subscription_id)))
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-id")
