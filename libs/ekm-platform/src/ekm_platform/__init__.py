"""Shared platform library of the ЕКМ services. No domain code lives here."""

import warnings

# eventlet announces its deprecation on import; nameko 3 depends on it (see STACK.md).
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
