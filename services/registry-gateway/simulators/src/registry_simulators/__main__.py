"""``python -m registry_simulators [--host 127.0.0.1] [--port 8081]`` (port 0: any free port)."""
import argparse
import logging
import signal
import sys

from registry_simulators.server import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="registry_simulators")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s simulators %(message)s")
    server = serve(args.host, args.port)
    print(f"LISTENING {server.server_port}", flush=True)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
