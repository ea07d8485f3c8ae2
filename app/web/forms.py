"""Reading HTML form posts without a multipart parser, and refusing cross-site posts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from fastapi import Request

from domain.errors import Forbidden, InvalidInput

MAX_FORM_BYTES = 256 * 1024


def browser_line_breaks(text: str) -> str:
    """``text`` with CRLF as ``\n``: browsers count a textarea's line break as one character
    against its maxlength but submit two, so text the page accepted is never too long here."""
    return text.replace("\r\n", "\n")


class Form:
    """An ``application/x-www-form-urlencoded`` body: the first value of each name."""

    def __init__(self, values: dict[str, list[str]]) -> None:
        self._values = values

    def get(self, name: str, default: str = "") -> str:
        found = self._values.get(name)
        return found[0] if found else default

    def text(self, name: str, *, max_length: int, default: str = "") -> str:
        """The value of ``name`` (line breaks as the browser counted them) if it is text a
        table can store; 422 naming the field if not."""
        value = browser_line_breaks(self.get(name, default))
        if len(value) > max_length:
            raise InvalidInput(
                f"{name} is {len(value):,} characters long; send at most {max_length:,}"
            )
        if "\x00" in value:
            raise InvalidInput(f"{name}: remove the NUL character (\\x00) from it")
        return value

    def with_prefix(self, prefix: str) -> dict[str, str]:
        return {k[len(prefix) :]: v[0] for k, v in self._values.items() if k.startswith(prefix)}


async def read_form(request: Request) -> Form:
    """The posted form, after checking it comes from one of our own pages."""
    check_same_origin(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if not body:
        return Form({})  # a button-only form, such as "New conversation"
    if kind != "application/x-www-form-urlencoded":
        raise InvalidInput("Send the form as application/x-www-form-urlencoded")
    if len(body) > MAX_FORM_BYTES:
        raise InvalidInput("The form is too large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("The form is not UTF-8") from None
    return Form(parse_qs(text, keep_blank_values=True))


def check_same_origin(request: Request) -> None:
    # The session cookie is SameSite=Lax, which already keeps it off cross-site posts; checking
    # Origin (or Referer) as well protects browsers and proxies that get SameSite wrong.
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source:
        return  # non-browser clients; browsers send Origin on every form post
    if source == "null" or urlsplit(source).netloc != request.url.netloc:
        raise Forbidden("This form was posted from another site; open the page and try again")
