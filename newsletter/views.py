from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import selectors, services, tokens
from .forms import ManageForm, SubscribeForm
from .models import Newsletter, Subscription


def _message(request, title, text, *, status=200, kind=""):
    return render(request, "newsletter/message.html", {"title": title, "text": text, "kind": kind}, status=status)


def _bad_link(request, error):
    if isinstance(error, tokens.TokenExpired):
        text = _(
            "Dieser Bestätigungslink ist abgelaufen. Bitte melden Sie sich noch einmal an; "
            "Sie erhalten dann einen neuen Link."
        )
    else:
        text = _(
            "Dieser Link ist ungültig. Bitte kopieren Sie ihn vollständig aus der E-Mail oder fordern Sie einen neuen an."
        )
    return _message(request, _("Link ungültig"), text, status=400, kind="error")


def _ip(request):
    if getattr(settings, "NEWSLETTER_RECORD_IP", False):
        return request.META.get("REMOTE_ADDR")
    return None


@require_http_methods(["GET", "POST"])
def subscribe(request, slug):
    newsletter = get_object_or_404(selectors.subscribable_newsletters(request.user), slug=slug)
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = SubscribeForm(request.POST or None, newsletter=newsletter, initial=initial)
    if request.method == "POST" and form.is_valid():
        _subscription, outcome = services.subscribe(
            newsletter,
            form.cleaned_data["email"],
            source_detail=request.build_absolute_uri(),
            ip_address=_ip(request),
            user=request.user if request.user.is_authenticated else None,
        )
        if outcome == services.SubscribeOutcome.CONFIRMED:
            return _message(
                request, _("Angemeldet"), _("Sie erhalten den Newsletter ab der nächsten Ausgabe."), kind="success"
            )
        # Same answer whether or not the address was already subscribed: the form must not reveal who reads what.
        return _message(
            request,
            _("Bitte bestätigen Sie Ihre Anmeldung"),
            _(
                "Wir haben Ihnen eine E-Mail mit einem Bestätigungslink geschickt. Erst wenn Sie ihn aufrufen und "
                "bestätigen, erhalten Sie den Newsletter."
            ),
            kind="success",
        )
    return render(request, "newsletter/subscribe.html", {"newsletter": newsletter, "form": form})


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET only shows a button: link scanners in mail systems open links, they do not submit forms."""
    try:
        subscription_id = tokens.read_confirm_token(token)
    except (tokens.TokenExpired, tokens.TokenInvalid) as error:
        return _bad_link(request, error)
    subscription = Subscription.objects.select_related("newsletter").filter(pk=subscription_id).first()
    if request.method == "POST":
        subscription, outcome = services.confirm_subscription(subscription_id)
    elif subscription is None or subscription.status == Subscription.Status.UNSUBSCRIBED:
        outcome = services.ConfirmOutcome.GONE
    elif subscription.status == Subscription.Status.CONFIRMED:
        outcome = services.ConfirmOutcome.ALREADY_CONFIRMED
    else:
        return render(request, "newsletter/confirm.html", {"newsletter": subscription.newsletter})
    if outcome == services.ConfirmOutcome.GONE:
        return _bad_link(request, tokens.TokenExpired())
    if outcome == services.ConfirmOutcome.ALREADY_CONFIRMED:
        return _message(
            request, _("Bereits bestätigt"), _("Ihre Anmeldung ist bereits bestätigt. Sie müssen nichts weiter tun.")
        )
    return _message(
        request,
        _("Anmeldung bestätigt"),
        _("Vielen Dank! Sie erhalten den Newsletter „%(name)s“ ab der nächsten Ausgabe.")
        % {"name": subscription.newsletter.name},
        kind="success",
    )


@require_http_methods(["GET", "POST"])
def manage(request, token):
    try:
        email = tokens.read_manage_token(token)
    except (tokens.TokenExpired, tokens.TokenInvalid) as error:
        return _bad_link(request, error)
    if request.method == "POST":
        form = ManageForm(request.POST)
        if form.is_valid():
            newsletter = get_object_or_404(Newsletter, pk=form.cleaned_data["newsletter"])
            if form.cleaned_data["action"] == "unsubscribe":
                services.unsubscribe(email, newsletter)
                messages.success(
                    request, _("Sie sind vom Newsletter „%(name)s“ abgemeldet.") % {"name": newsletter.name}
                )
            else:
                services.resubscribe(
                    email, newsletter, source_detail=request.build_absolute_uri(), ip_address=_ip(request)
                )
                messages.success(
                    request, _("Sie sind beim Newsletter „%(name)s“ angemeldet.") % {"name": newsletter.name}
                )
        return redirect("newsletter:manage", token=token)
    subscriptions = list(selectors.subscriptions_for_email(email))
    subscribed_ids = {subscription.newsletter_id for subscription in subscriptions}
    others = Newsletter.objects.filter(public_subscribe=True).exclude(pk__in=subscribed_ids).order_by("name")
    return render(
        request,
        "newsletter/manage.html",
        {"email": email, "subscriptions": subscriptions, "others": others, "Status": Subscription.Status},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """RFC 8058 one-click target and the footer's "Abmelden" link.

    Mail providers POST `List-Unsubscribe=One-Click` (form-encoded or multipart) without cookies, so
    no CSRF check: the signed token is the credential. GET never unsubscribes, because scanners open
    links; it shows a button instead. The answer to a POST is a 200, never a redirect.
    """
    try:
        email, newsletter_id = tokens.read_unsubscribe_token(token)
    except (tokens.TokenExpired, tokens.TokenInvalid) as error:
        return _bad_link(request, error)
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    if newsletter is None:
        return _message(
            request,
            _("Newsletter nicht gefunden"),
            _("Diesen Newsletter gibt es nicht mehr. Sie erhalten von ihm keine E-Mails."),
            status=404,
        )
    if request.method == "POST":
        services.unsubscribe(email, newsletter)
        return _message(
            request,
            _("Abgemeldet"),
            _("Die Adresse %(email)s erhält den Newsletter „%(name)s“ nicht mehr.")
            % {"email": email, "name": newsletter.name},
            kind="success",
        )
    return render(
        request,
        "newsletter/unsubscribe.html",
        {"newsletter": newsletter, "email": email, "manage_token": tokens.make_manage_token(email)},
    )
