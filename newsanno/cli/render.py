"""``newsanno render``: placeholder."""
def register(sub):  # noqa
    pass
