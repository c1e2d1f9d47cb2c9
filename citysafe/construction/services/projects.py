"""What a project's saves keep up to date besides the row itself."""


def keep_parties(sender, instance, raw=False, **kwargs):
    """The enterprises that see the project (scope key `parties`): its builder and contractor.
    A post_save receiver because the generated services save through core.records, and a
    many-to-many set needs the saved row; it runs inside the service's transaction."""
    if raw:
        return
    wanted = {pk for pk in (instance.builder_id, instance.contractor_id) if pk}
    if set(instance.parties.values_list("pk", flat=True)) != wanted:
        instance.parties.set(wanted)
