"""Links carried by notifications point at the platform's own pages only.

A link is a relative path starting with a single "/": no scheme (javascript:, data:, http:),
no "//host" (protocol-relative), no backslash (browsers read "/\\host" as "//host"), no
whitespace or control characters. Checked when a notification is created (services.notify)
and again when the inbox renders it (the `platform_link` template filter), so a row written
some other way still cannot put a script or a foreign site behind a click.
"""
from urllib.parse import urlsplit


def is_platform_link(link: str) -> bool:
    if not isinstance(link, str) or not link.startswith("/") or link.startswith("//"):
        return False
    if "\\" in link or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in link):
        return False
    parts = urlsplit(link)
    return not parts.scheme and not parts.netloc
