import simple_history

from kense.geo.models import Boundary

# The boundary itself is not kept in every version (a region's is 100 KB): its history says when
# it was imported, from what source and for which period.
simple_history.register(Boundary, excluded_fields=["geometry", "outlines"])
