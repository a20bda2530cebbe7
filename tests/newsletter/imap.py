"""A stand-in for an IMAP mailbox: no IMAP server is installed here, so the mailbox readers
(newsletter.bounces.fetch_bounces) talk to this object, which answers like `imaplib.IMAP4`."""


class FakeIMAP:
    """Answers the calls `fetch_bounces` makes the way `imaplib.IMAP4` does: (status, data) pairs."""

    def __init__(self, messages):
        self.messages = dict(enumerate(messages, start=1))
        self.deleted, self.copied, self.log = set(), [], []

    def select(self, folder):
        self.log.append(("select", folder))
        return "OK", [str(len(self.messages)).encode()]

    def uid(self, command, *args):
        if command == "SEARCH":
            return "OK", [b" ".join(str(uid).encode() for uid in self.messages)]
        uid = int(args[0])
        if command == "FETCH":
            assert args[1] == "(BODY.PEEK[])"
            return "OK", [(f"{uid} (UID {uid} BODY[] {{0}}".encode(), self.messages[uid]), b")"]
        if command == "COPY":
            self.copied.append((uid, args[1]))
            return "OK", [b""]
        if command == "STORE":
            assert args[1:] == ("+FLAGS", "(\\Deleted)")
            self.deleted.add(uid)
            return "OK", [b""]
        raise AssertionError(command)

    def expunge(self):
        for uid in self.deleted:
            del self.messages[uid]
        self.deleted.clear()
        return "OK", [b""]

    def logout(self):
        self.log.append(("logout",))
        return "BYE", [b""]
