"""The events app in the JSON API: one router holding events, work plans and states of
emergency, so `kense.api` adds the app once."""

from ninja import Router

from kense.events.api import emergencies, events, plans

router = Router()
# The order they had in kense.api: the OpenAPI document lists the paths in it.
router.add_router("", events.router)
router.add_router("", plans.router)
router.add_router("", emergencies.router)
