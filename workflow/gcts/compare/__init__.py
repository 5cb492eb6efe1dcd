"""Between versions: alignment, diffs, lineage, the series table, term emergence."""
