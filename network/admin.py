from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "organisation", "approval", "is_staff"]
    list_filter = ["approval", "is_staff", "groups"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profil"), {"fields": ("display_name", "organisation", "job_title", "bio", "avatar")}),
        (_("Freigabe"), {"fields": ("approval", "approved_at")}),
        (_("Rechte"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
