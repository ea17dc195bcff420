"""Tags have no admin of their own: they are part of a report's content.

django-taggit registers a tag admin whose "merge tags" action and ``merge-tags/`` view
ask for nothing beyond the view permission, so a read-only auditor could rename the tags
of any unit's published report, with no revision and no workflow event. A report's tags
change only through its change page, which records a revision and sends a published
report back through review; so the tag admin is removed for everyone.
"""

from django.contrib import admin
from taggit.models import Tag

admin.site.unregister(Tag)
