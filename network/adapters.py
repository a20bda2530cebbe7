from allauth.account.adapter import DefaultAccountAdapter

from core.mail import queue_message, with_legal_footer


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Hand allauth's mails to the task worker instead of talking SMTP inside the request."""
        context = {"email": email, **context}
        message = self.render_mail(template_prefix, email, context)
        if message.content_subtype == "plain":
            message.body = with_legal_footer(message.body)
        queue_message(message)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name", "")
        user.organisation = form.cleaned_data.get("organisation")
        user.job_title = form.cleaned_data.get("job_title", "")
        if commit:
            user.save()
        return user
