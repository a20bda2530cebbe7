"""Sending a newsletter, in modules named for what they do:

- `lifecycle`: start (now or planned), pause, resume, cancel a send; starting sets task workers going.
- `ledger`: the `Delivery` rows, one per recipient: freezing the audience into them, claiming
  batches, recording what became of each message (the exactly-once argument is in its docstring).
- `messages`: the e-mail each recipient gets, and the test mail to the editor.
- `smtp_errors`: what an SMTP server's refusal means: try again later, or give up on this address.
- `worker`: the loop that claims and sends batches, and the task that runs it.
- `options`: the NEWSLETTER_* settings they share.
"""
