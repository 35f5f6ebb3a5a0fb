"""ЕКМ web workplace: a server-rendered backend-for-frontend (Starlette + Jinja2 on uvicorn)
that calls the five services over plain grpcio with the signed-in user's token."""
