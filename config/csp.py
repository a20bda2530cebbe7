"""The Content-Security-Policy: strict on the site, one relaxation inside the Wagtail admin."""

from csp.middleware import CSPMiddleware


class SiteCSPMiddleware(CSPMiddleware):
    """Wagtail's own admin templates carry inline scripts (date choosers, inline panels)
    without a nonce, and its live preview shows pages in a frame of the editor, so the
    editors' area (reachable only by staff signed in with a second factor) allows inline
    scripts and same-origin frames; every other page allows neither."""

    admin_prefixes = ("/admin/",)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(self.admin_prefixes):
            parts.update = {**(parts.update or {}), "script-src": ["'unsafe-inline'"]}
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts
