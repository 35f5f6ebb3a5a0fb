"""The X-Road message protocol 4.0 headers, as a Trembita security server checks them."""

from __future__ import annotations

# One check for every X-Road service provider of the platform (partner inbound too).
from ekm_platform.xroad import IDENTIFIERS, REQUIRED, XROAD, check, echo  # noqa: F401
