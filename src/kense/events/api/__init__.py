"""The events app in the JSON API: one router holding events, work plans and states of
emergency, so `kense.api` adds the app once."""

from ninja import Router

from kense.events.api import emergencies, events, plans

router = Router()
# In this order: the states of emergency come last, as they did when each was added on its own.
router.add_router("", events.router)
router.add_router("", plans.router)
router.add_router("", emergencies.router)
