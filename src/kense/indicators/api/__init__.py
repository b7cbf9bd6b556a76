"""The indicators in the JSON API: one router for the app (added once by `kense.api`), made of
a router per sub-domain: `definitions` (indicators, targets, values), `reports` (report forms,
reports, reporting rates) and `results` (the results table, the ranking, methodologies)."""

from ninja import Router

from kense.indicators.api import definitions, reports, results

router = Router()
router.add_router("", definitions.router)
router.add_router("", reports.router)
router.add_router("", results.router)
