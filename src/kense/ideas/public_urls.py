"""Citizens' ideas on the open pages (kense.public includes these under public/ideas/)."""

urlpatterns: list = []
