"""Who may write: API keys, this machine, and pages of other origins. Reads stay open.

Writes are uploads, deletes, reference reloads, cancelling a job and /api/cypher. They are allowed
- with keys configured (CHUYI_API_KEYS): to a request carrying one, as `X-API-Key` or
  `Authorization: Bearer …`, compared in constant time with every configured key;
- without keys, while the service is bound to a loopback address: to requests from this machine (a
  loopback peer, or a peer without an IP address: a unix socket or an in-process client);
- without keys, bound to any other address: to nobody (said in the start-up log and in /healthz).
And in every mode a browser page of another origin may not write: a request whose `Origin` is neither
this service's own nor in CHUYI_CORS_ORIGINS (or that the browser marks `Sec-Fetch-Site: cross-site`)
is refused. Without keys that is what keeps a page on any site from posting a form to 127.0.0.1; and
an `Origin` that is not a loopback name is refused there too (a DNS-rebinding page looks same-origin).
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import urlsplit

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from search_api.errors import CrossOriginRefused, KeyInvalid, KeyRequired, WriteRefused
from search_api.settings import Settings

WriteMode = Literal["key", "loopback", "refused"]
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})

# Declared for OpenAPI (and /docs' Authorize button); the policy reads the headers itself.
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="One of CHUYI_API_KEYS")
bearer = HTTPBearer(auto_error=False, description="One of CHUYI_API_KEYS, as a bearer token")


def is_loopback_host(host: str | None) -> bool:
    """A loopback IP address or the loopback names (localhost)."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_local_peer(peer: str | None) -> bool:
    """The client connected from this machine: a loopback IP, or no IP at all (a unix socket, or an
    in-process client such as Starlette's test client)."""
    if not peer:
        return True
    try:
        return ipaddress.ip_address(peer.strip("[]")).is_loopback
    except ValueError:
        return True


@dataclass(frozen=True)
class WritePolicy:
    keys: tuple[bytes, ...]
    bound_to: str
    allowed_origins: frozenset[str]

    @classmethod
    def from_settings(cls, settings: Settings) -> WritePolicy:
        return cls(
            keys=tuple(k.encode("utf-8") for k in settings.api_key_list()),
            bound_to=settings.host,
            allowed_origins=frozenset(o.lower() for o in settings.cors_origin_list()),
        )

    @property
    def mode(self) -> WriteMode:
        if self.keys:
            return "key"
        return "loopback" if is_loopback_host(self.bound_to) else "refused"

    def describe(self) -> str:
        """The start-up line that says who may write."""
        if self.mode == "key":
            return f"writes need one of the {len(self.keys)} API key(s) (CHUYI_API_KEYS)"
        if self.mode == "loopback":
            return (
                "no API key set (CHUYI_API_KEYS): writes are accepted from this machine only "
                f"(bound to {self.bound_to})"
            )
        return (
            f"no API key set (CHUYI_API_KEYS) and bound to {self.bound_to}: every write is refused; "
            "set CHUYI_API_KEYS to allow uploads, deletes, reference reloads and /api/cypher"
        )

    def check(self, request: Request) -> None:
        """Raise KeyRequired/KeyInvalid (401) or WriteRefused/CrossOriginRefused (403) unless `request`
        may write."""
        self._check_origin(request)
        if self.mode == "key":
            given = _presented_key(request)
            if given is None:
                raise KeyRequired("此操作需要 API 密钥：请在请求头 X-API-Key 或 Authorization: Bearer 中提供。")
            if not self._matches(given):
                raise KeyInvalid("API 密钥不正确。")
            return
        if self.mode == "refused":
            raise WriteRefused(f"写操作已关闭：服务监听在 {self.bound_to} 而没有设置 API 密钥（CHUYI_API_KEYS）。")
        if not _is_local_peer(request.client.host if request.client else None):
            raise WriteRefused("未设置 API 密钥（CHUYI_API_KEYS）时只接受本机发出的写操作。")

    def _matches(self, given: bytes) -> bool:
        # Every key is compared, so the time taken says nothing about which one (or how much) matched.
        matched = False
        for key in self.keys:
            matched |= hmac.compare_digest(given, key)
        return matched

    def _check_origin(self, request: Request) -> None:
        origin = request.headers.get("origin")
        site = request.headers.get("sec-fetch-site", "").lower()
        if origin is None:
            if site == "cross-site":
                raise CrossOriginRefused("不接受来自其他网站的写操作。")
            return
        normalised = origin.strip().rstrip("/").lower()
        if normalised in self.allowed_origins:
            return
        parts = urlsplit(normalised)
        own = request.headers.get("host", "").lower()
        if not parts.netloc or parts.netloc != own:
            raise CrossOriginRefused(f"不接受来自其他网站（{origin[:100]}）的写操作。")
        if self.mode != "key" and not is_loopback_host(parts.hostname):
            # Same-origin by its headers but not a loopback name: a DNS-rebinding page, not this machine.
            raise CrossOriginRefused(f"未设置 API 密钥时只接受来自本机地址的网页（{origin[:100]}）的写操作。")


def _presented_key(request: Request) -> bytes | None:
    value = request.headers.get("x-api-key")
    if value is None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        value = token.strip() if scheme.lower() == "bearer" and token.strip() else None
    # Header values arrive as latin-1 text: encoding them back gives the bytes that were sent, which
    # are compared with the UTF-8 bytes of the configured keys.
    return value.strip().encode("latin-1", "replace") if value is not None else None


def require_write(
    request: Request,
    _key: Annotated[str | None, Security(api_key_header)] = None,
    _token: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
) -> None:
    """The dependency every write route has: the app's WritePolicy decides."""
    policy: WritePolicy = request.app.state.write_policy
    policy.check(request)


WriteAccess = Depends(require_write)
WriteDep = Annotated[None, WriteAccess]
