from django.contrib import admin

from .models import AuditLog, Board, Report, Suspension, Tag


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "body", "is_public", "sort_order"]
    list_filter = ["kind", "is_public"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "kind", "body", "description", "is_public", "sort_order"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["post", "reporter", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["post", "reporter", "decided_by"]


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    list_display = ["user", "until", "created_by"]
    raw_id_fields = ["user", "created_by"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_label", "board"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
