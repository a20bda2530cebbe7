from django.db.models.signals import post_delete, post_save

from cms.freshness import new_stamp

from .models import Newsletter

# The archive's cached list shows each newsletter's name and the public ones to subscribe to.
post_save.connect(new_stamp, sender=Newsletter, dispatch_uid="newsletter-pages-stamp-save")
post_delete.connect(new_stamp, sender=Newsletter, dispatch_uid="newsletter-pages-stamp-delete")
