"""``python -m ekm_web``: serve the web workplace with uvicorn (started by ``ekm run``)."""

from __future__ import annotations

import logging
import sys


def main(argv=None) -> int:
    import uvicorn

    from ekm_platform.supervisor import die_with_parent
    from ekm_web.app import create_app
    from ekm_web.settings import Settings

    die_with_parent()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env()
    print(f"ekm-web listening on http://{settings.host}:{settings.port}/", flush=True)
    # The access log names method, path and status only: no page takes personal data in its
    # path or query (searches are POSTed), so the log carries none.
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        server_header=False,
        proxy_headers=False,
        lifespan="on",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
