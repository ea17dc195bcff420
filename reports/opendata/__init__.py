"""Open data: published reports as JSON (an API under /api/v1/) and yearly bulk files (JSON, CSV, .xlsx).

Only public revisions are served, through ``Report.objects.published()`` like every public
page: never a draft, a working copy, a withdrawn report or a schedule not yet due.

- ``documents``: the one shape of a published report as data, built from its snapshot;
- ``serializers``: that shape as Django REST framework serializers (the OpenAPI schema);
- ``views``: the API (caching under the public state, conditional GET, CORS, rate limit);
- ``bulk``: the yearly files and their data dictionary.
"""
