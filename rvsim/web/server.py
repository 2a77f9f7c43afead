"""The HTTP and WebSocket server of ``rvsim web`` (Starlette, served by uvicorn).

Every request and WebSocket must carry the server's random token (``?token=`` or the
``X-Rvsim-Token`` header) and, when the browser sends an Origin, come from the page's own origin.
Each WebSocket is one tab with its own machine (:class:`rvsim.web.session.WebSession`), run by its own
worker thread so that Stop and console input are handled while a program runs.  docs/web.md describes
the protocol.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from .session import Limits, SessionError, WebSession, environment_names
from .workspace import (MAX_INCLUDE_BYTES, MAX_SOURCE_BYTES, WorkspaceError, example_files, examples,
                        include_library, list_dir, resolve_under)

STATIC = Path(__file__).parent / "static"
MAX_MESSAGE = MAX_SOURCE_BYTES + (64 << 10)     # bytes of one request or WebSocket message
ISAS = ("rv64gcv", "rv64gc", "rv64imac", "rv64im", "rv64gcv_zvfh_zvbb", "rv32gc", "rv32imac")


@dataclass
class ServerConfig:
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    allow_dir: Path | None = None
    files: list[Path] = field(default_factory=list)     # programs named on the command line
    limits: Limits = field(default_factory=Limits)
    max_sessions: int = 16
    idle_seconds: float = 1800.0
    host: str = "127.0.0.1"
    port: int = 0


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _allowed_origin(origin: str | None, host: str | None) -> bool:
    """No Origin (a non-browser client), or the page's own origin (same host:port)."""
    if origin is None:
        return True
    if not host:
        return False
    return origin in (f"http://{host}", f"https://{host}")


def create_app(config: ServerConfig) -> Starlette:
    library = include_library(config.allow_dir)
    sessions: dict[int, WebSession] = {}

    def check(conn) -> None:
        token = conn.query_params.get("token") or conn.headers.get("x-rvsim-token") or ""
        if not hmac.compare_digest(token.encode(), config.token.encode()):
            raise Refused(403, "missing or wrong token: open the address rvsim web printed")
        if not _allowed_origin(conn.headers.get("origin"), conn.headers.get("host")):
            raise Refused(403, "requests from another origin are refused")

    def guarded(handler):
        async def endpoint(request: Request):
            try:
                check(request)
                return await handler(request)
            except Refused as exc:
                return JSONResponse({"ok": False, "error": exc.message}, status_code=exc.status)
            except (WorkspaceError, SessionError) as exc:
                return JSONResponse({"ok": False, "error": str(exc)}, status_code=400)
        return endpoint

    async def body_json(request: Request) -> dict:
        size = int(request.headers.get("content-length") or 0)
        if size > MAX_MESSAGE:
            raise Refused(413, f"request larger than {MAX_MESSAGE // 1024} KiB")
        data = await request.body()
        if len(data) > MAX_MESSAGE:
            raise Refused(413, f"request larger than {MAX_MESSAGE // 1024} KiB")
        try:
            obj = json.loads(data or b"{}")
        except ValueError:
            raise Refused(400, "the body is not JSON") from None
        if not isinstance(obj, dict):
            raise Refused(400, "the body must be a JSON object")
        return obj

    async def index(request: Request):
        html = (STATIC / "index.html").read_text().replace("{{TOKEN}}", config.token)
        return HTMLResponse(html, headers={"Cache-Control": "no-store",
                                           "Content-Security-Policy": "default-src 'self'; "
                                           "connect-src 'self' ws: wss:; img-src 'self' data:; "
                                           "style-src 'self'; script-src 'self'"})

    async def static(request: Request):
        name = request.path_params["name"]
        if name not in {p.name for p in STATIC.iterdir()}:
            return JSONResponse({"ok": False, "error": "no such file"}, status_code=404)
        return FileResponse(STATIC / name, headers={"Cache-Control": "no-store"})

    async def info(request: Request):
        return JSONResponse(_info(config))

    async def example_list(request: Request):
        return JSONResponse({"examples": [{"id": k, "title": v["title"], "group": v["group"],
                                           "env": v["env"]} for k, v in examples().items()]})

    async def example(request: Request):
        ex_id = request.query_params.get("id", "")
        meta = examples().get(ex_id)
        if meta is None:
            raise WorkspaceError(f"no example {ex_id!r}")
        return JSONResponse({"id": ex_id, "env": meta["env"], "files": example_files(ex_id)})

    async def files(request: Request):
        """The programs named on the command line and the assembly files under --allow-dir."""
        out = [{"name": p.name, "source": "command line"} for p in config.files]
        if config.allow_dir is not None:
            out += [{"name": n, "source": "allow-dir"} for n in list_dir(config.allow_dir)]
        return JSONResponse({"files": out, "allow_dir": str(config.allow_dir) if config.allow_dir else None})

    async def open_file(request: Request):
        name = request.query_params.get("name", "")
        for p in config.files:
            if p.name == name:
                return JSONResponse({"name": p.name, "text": _read_text(p)})
        if config.allow_dir is None:
            raise Refused(403, "no file access: start rvsim web with --allow-dir DIR or name the files")
        path = resolve_under(config.allow_dir, name)
        if not path.is_file():
            raise Refused(404, f"no file {name!r} in the allowed directory")
        return JSONResponse({"name": name, "text": _read_text(path)})

    async def assemble(request: Request):
        data = await body_json(request)
        s = WebSession(config.limits, library)
        result, _ = await asyncio.to_thread(s.assemble, data.get("files"), str(data.get("isa", "rv64gcv")))
        return JSONResponse(result)

    async def websocket(ws: WebSocket):
        try:
            check(ws)
        except Refused as exc:
            await ws.close(code=4403, reason=exc.message)
            return
        if len(sessions) >= config.max_sessions:
            await ws.close(code=4429, reason="too many tabs are open: close one")
            return
        await ws.accept()
        loop = asyncio.get_running_loop()
        outbox: asyncio.Queue = asyncio.Queue()
        session = WebSession(config.limits, library,
                             notify=lambda ev: loop.call_soon_threadsafe(outbox.put_nowait, ev))
        sessions[id(session)] = session
        worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rvsim-web")
        tasks: set = set()

        async def sender():
            while True:
                msg = await outbox.get()
                await ws.send_text(json.dumps(msg))

        async def handle(msg: dict):
            reply = {"id": msg.get("id"), "ok": True}
            try:
                reply.update(await loop.run_in_executor(worker, _dispatch, session, msg))
            except (SessionError, WorkspaceError) as exc:
                reply.update(ok=False, error=str(exc))
            except (ValueError, TypeError, KeyError) as exc:     # a malformed argument
                reply.update(ok=False, error=f"bad request: {exc}")
            except Exception as exc:   # a bug of ours: the tab says so and stays usable
                reply.update(ok=False, error=f"internal error: {type(exc).__name__}: {exc}")
            outbox.put_nowait(reply)

        send_task = asyncio.create_task(sender())
        try:
            while True:
                try:
                    text = await asyncio.wait_for(ws.receive_text(), timeout=config.idle_seconds)
                except asyncio.TimeoutError:
                    await ws.close(code=4408, reason="idle for too long: reload the page")
                    break
                if len(text) > MAX_MESSAGE:
                    outbox.put_nowait({"ok": False, "error": "message too large"})
                    continue
                try:
                    msg = json.loads(text)
                    if not isinstance(msg, dict):
                        raise ValueError
                except ValueError:
                    outbox.put_nowait({"ok": False, "error": "messages must be JSON objects"})
                    continue
                cmd = msg.get("cmd")
                if cmd == "stop":                        # immediate, even while a run is going
                    session.stop()
                    outbox.put_nowait({"id": msg.get("id"), "ok": True})
                elif cmd == "input":
                    session.send_input(str(msg.get("text", "")))
                    outbox.put_nowait({"id": msg.get("id"), "ok": True})
                else:
                    t = asyncio.create_task(handle(msg))
                    tasks.add(t)
                    t.add_done_callback(tasks.discard)
        except WebSocketDisconnect:
            pass
        finally:
            session.stop()
            send_task.cancel()
            for t in tasks:
                t.cancel()
            worker.shutdown(wait=False, cancel_futures=True)
            sessions.pop(id(session), None)
            session.machine = None          # free the guest memory now

    routes = [
        Route("/", guarded(index)),
        Route("/static/{name}", guarded(static)),
        Route("/api/info", guarded(info)),
        Route("/api/examples", guarded(example_list)),
        Route("/api/example", guarded(example)),
        Route("/api/files", guarded(files)),
        Route("/api/file", guarded(open_file)),
        Route("/api/assemble", guarded(assemble), methods=["POST"]),
        WebSocketRoute("/ws", websocket),
    ]
    app = Starlette(routes=routes)
    app.state.sessions = sessions
    app.state.config = config
    return app


def _read_text(path: Path) -> str:
    if path.stat().st_size > MAX_INCLUDE_BYTES:
        raise Refused(413, f"{path.name} is too large")
    return path.read_text(encoding="utf-8", errors="replace")


def _info(config: ServerConfig) -> dict:
    from ..timing import preset_names
    return {"isas": list(ISAS), "envs": environment_names(), "presets": list(preset_names()),
            "limits": {"memory": config.limits.memory, "default_budget": config.limits.default_budget,
                       "max_budget": config.limits.max_budget, "source_bytes": MAX_SOURCE_BYTES,
                       "timeline": config.limits.timeline},
            "allow_dir": config.allow_dir is not None}


def _dispatch(session: WebSession, msg: dict) -> dict:
    """Run one tab command in the worker thread."""
    cmd = msg.get("cmd")
    budget = msg.get("budget")
    mem = msg.get("memory")
    if cmd == "load":
        out = session.load(msg.get("files"), str(msg.get("isa", "rv64gcv")), str(msg.get("env", "linux")),
                           msg.get("preset") or None)
        for bp in msg.get("breakpoints") or ():
            try:
                session.set_breakpoint(bp[0], int(bp[1]))
            except (SessionError, ValueError, TypeError, IndexError):
                pass
        if "state" in out and mem:
            out["state"] = session.state(mem)
        if session.program is not None and out.get("ok"):
            out["breakpoints"] = sorted([f, ln] for f, ln in session.breakpoints)
        return out
    if cmd == "assemble":
        return session.assemble(msg.get("files"), str(msg.get("isa", "rv64gcv")))[0]
    if cmd == "break":
        return session.set_breakpoint(msg.get("file", ""), int(msg.get("line", 0)), bool(msg.get("on", True)))
    if cmd == "state":
        session._need_program()
        return {"state": session.state(mem)}
    if cmd == "memory":
        return session.read_memory(str(msg.get("follow", "sp")), int(msg.get("count", 256)))
    runs = {
        "step": lambda: session.step(int(msg.get("n", 1)), budget),
        "stepi": lambda: session.stepi(int(msg.get("n", 1)), budget),
        "continue": lambda: session.cont(budget),
        "next": lambda: session.step_over(budget),
        "finish": lambda: session.step_out(budget),
        "until": lambda: session.run_to_line(msg.get("file", ""), int(msg.get("line", 0)), budget),
        "reverse_step": lambda: session.reverse_step(int(msg.get("n", 1))),
        "reverse_stepi": lambda: session.reverse_stepi(int(msg.get("n", 1))),
        "reverse_continue": session.reverse_continue,
        "reset": session.reset,
        "command": lambda: session.command(msg.get("line", ""), budget),
    }
    if cmd not in runs:
        raise SessionError(f"unknown command {cmd!r}")
    out = runs[cmd]()
    if mem and "state" in out:
        out["state"] = session.state(mem)
    return out


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host`` (127.0.0.0/8, ::1, localhost)."""
    import ipaddress
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _listen(config: ServerConfig):
    import socket
    sock = socket.socket(socket.AF_INET6 if ":" in config.host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((config.host, config.port))
    sock.listen(128)            # connections wait in the backlog until uvicorn serves them
    config.port = sock.getsockname()[1]
    return sock


def _uvicorn(app):
    import uvicorn
    return uvicorn.Server(uvicorn.Config(app, log_level="warning", ws_max_size=MAX_MESSAGE,
                                         lifespan="off"))


class BackgroundServer:
    """The server in a thread of this process (tests, benchmarks): ``url``, then ``close()``."""

    def __init__(self, config: ServerConfig):
        import threading
        self.config = config
        self.app = create_app(config)
        self._sock = _listen(config)
        self._server = _uvicorn(self.app)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]},
                                        daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{config.port}/?token={config.token}"

    def close(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()


def serve(config: ServerConfig, open_browser: bool = True) -> None:
    """Run the server until Ctrl-C."""
    import sys
    sock = _listen(config)
    shown = "127.0.0.1" if config.host in ("127.0.0.1", "0.0.0.0", "::") else config.host
    url = f"http://{shown}:{config.port}/?token={config.token}"
    if not is_loopback(config.host):
        sys.stderr.write(f"rvsim web: WARNING: listening on {config.host}, not only this machine: anyone "
                         "who can reach it and knows the address below can run programs here\n")
    sys.stderr.write(f"rvsim web: serving on {url}\n(Ctrl-C stops the server)\n")
    sys.stderr.flush()
    if open_browser:
        import threading
        import webbrowser
        threading.Timer(0.5, lambda: webbrowser.open(url)).start()
    server = _uvicorn(create_app(config))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
