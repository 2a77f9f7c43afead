"""rvsim web's HTTP and WebSocket API, without a browser (Starlette's TestClient): every endpoint, the
refusals (no token, wrong origin, paths outside the allowed directory, oversized programs) and the
run commands, checked against values worked out by hand from the programs."""
import json
import time
from pathlib import Path

import pytest

starlette = pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.testclient import TestClient  # noqa: E402
from starlette.websockets import WebSocketDisconnect  # noqa: E402

from rvsim.web.server import ServerConfig, create_app  # noqa: E402
from rvsim.web.session import Limits  # noqa: E402
from rvsim.web.workspace import MAX_SOURCE_BYTES, example_files  # noqa: E402

SUM = example_files("course/sum_array")


@pytest.fixture
def allow(tmp_path):
    d = tmp_path / "course"
    d.mkdir()
    (d / "lib.s").write_text("        .globl seven\nseven:  li a0, 7\n        ret\n")
    (d / "macros.inc").write_text("        .equ ANSWER, 42\n")
    (tmp_path / "secret.s").write_text("# outside the allowed directory\n")
    return d


@pytest.fixture
def config(allow, tmp_path):
    prog = tmp_path / "cmdline.s"
    prog.write_text("        .globl _start\n_start: li a0, 3\n        li a7, 93\n        ecall\n")
    return ServerConfig(allow_dir=allow, files=[prog], limits=Limits(memory=32 << 20))


@pytest.fixture
def client(config):
    with TestClient(create_app(config)) as c:
        yield c


def get(client, config, path, **kw):
    sep = "&" if "?" in path else "?"
    return client.get(f"{path}{sep}token={config.token}", **kw)


class Tab:
    """A WebSocket session as the page uses it: numbered requests, replies matched by id."""

    def __init__(self, ws):
        self.ws, self.n, self.events = ws, 0, []

    def send(self, cmd, **args):
        self.n += 1
        self.ws.send_text(json.dumps(dict(args, id=self.n, cmd=cmd)))
        return self.n

    def reply(self, rid):
        while True:
            msg = json.loads(self.ws.receive_text())
            if msg.get("id") == rid:
                return msg
            self.events.append(msg)

    def __call__(self, cmd, **args):
        return self.reply(self.send(cmd, **args))


@pytest.fixture
def tab(client, config):
    with client.websocket_connect(f"/ws?token={config.token}") as ws:
        yield Tab(ws)


# ---------------------------------------------------------------------------------- refusals

@pytest.mark.parametrize("path", ["/", "/static/app.js", "/api/info", "/api/examples",
                                  "/api/example?id=course/hello", "/api/files", "/api/file?name=lib.s"])
def test_every_page_needs_the_token(client, config, path):
    r = client.get(path)
    assert r.status_code == 403 and "token" in r.json()["error"]
    sep = "&" if "?" in path else "?"
    assert client.get(f"{path}{sep}token=wrong{config.token}").status_code == 403
    assert get(client, config, path).status_code == 200
    # the header works as well as the query string
    assert client.get(path, headers={"X-Rvsim-Token": config.token}).status_code == 200


def test_assemble_needs_the_token(client, config):
    assert client.post("/api/assemble", json={"files": SUM}).status_code == 403


def test_other_origins_are_refused(client, config):
    r = get(client, config, "/api/info", headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "origin" in r.json()["error"]
    # the page's own origin is fine
    assert get(client, config, "/api/info", headers={"Origin": "http://testserver"}).status_code == 200


def test_websocket_refusals(client, config):
    for url, headers in (("/ws", {}), ("/ws?token=nope", {}),
                         (f"/ws?token={config.token}", {"Origin": "http://evil.example"})):
        with pytest.raises(WebSocketDisconnect) as exc:
            with client.websocket_connect(url, headers=headers) as ws:
                ws.receive_text()
        assert exc.value.code == 4403


def test_paths_outside_the_allowed_directory(client, config):
    for name in ("../secret.s", "/etc/passwd", "..", "a/../../secret.s"):
        r = get(client, config, f"/api/file?name={name}")
        assert r.status_code in (400, 403), name
        assert "text" not in r.json()
    r = get(client, config, "/api/file?name=lib.s")
    assert r.status_code == 200 and "seven" in r.json()["text"]
    # the program named on the command line
    assert "li a0, 3" in get(client, config, "/api/file?name=cmdline.s").json()["text"]


def test_no_file_access_without_allow_dir(tmp_path):
    cfg = ServerConfig()
    with TestClient(create_app(cfg)) as c:
        r = c.get(f"/api/file?name=x.s&token={cfg.token}")
        assert r.status_code == 403 and "--allow-dir" in r.json()["error"]
        assert c.get(f"/api/files?token={cfg.token}").json()["files"] == []


def test_include_cannot_leave_the_workspace(client, config):
    for name in ("/etc/passwd", "../secret.s", "../../etc/passwd"):
        src = [{"name": "a.s", "text": f'.include "{name}"\n'}]
        r = client.post(f"/api/assemble?token={config.token}", json={"files": src}).json()
        assert not r["ok"] and r["errors"][0]["line"] == 1
        assert "root:" not in json.dumps(r)
    # a file of the allowed directory can be included
    src = [{"name": "a.s", "text": '.include "macros.inc"\n.globl _start\n_start: li a0, ANSWER\n'}]
    assert client.post(f"/api/assemble?token={config.token}", json={"files": src}).json()["ok"]


def test_oversized_program_is_refused(client, config, tab):
    big = [{"name": "big.s", "text": "# " + "x" * MAX_SOURCE_BYTES + "\n"}]
    r = client.post(f"/api/assemble?token={config.token}", json={"files": big})
    assert r.status_code == 413 or not r.json()["ok"]
    r = tab("load", files=big)
    assert not r["ok"] and ("larger" in r.get("error", "") or "large" in r.get("error", ""))
    too_many = [{"name": f"f{i}.s", "text": ""} for i in range(100)]
    r = tab("load", files=too_many)
    assert not r["ok"] and "at most" in r["error"]


def test_bad_messages_do_not_break_the_tab(tab):
    tab.ws.send_text("not json")
    assert json.loads(tab.ws.receive_text())["ok"] is False
    r = tab("frobnicate")
    assert not r["ok"] and "unknown command" in r["error"]
    r = tab("step")
    assert not r["ok"] and "no program" in r["error"]
    assert tab("load", files=SUM)["ok"]
    for bad in ({"n": "many"}, {"n": None}, {"budget": "lots"}, {"budget": -5}):
        r = tab("step", **bad)
        assert not r["ok"] and "internal error" not in r["error"], (bad, r)
    r = tab("break", file="sum_array.s", line="x")
    assert not r["ok"] and "internal error" not in r["error"]
    r = tab("load", files=[{"name": "../x.s", "text": ""}])
    assert not r["ok"] and "leaves the workspace" in r["error"]
    assert tab("load", files=SUM)["ok"]


# ---------------------------------------------------------------------------------- endpoints

def test_index_and_static(client, config):
    r = get(client, config, "/")
    assert r.status_code == 200 and config.token in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    for name in ("app.js", "style.css"):
        assert get(client, config, f"/static/{name}").status_code == 200
    assert get(client, config, "/static/nothing.js").status_code == 404
    assert get(client, config, "/static/..%2Fserver.py").status_code == 404


def test_info_examples_files(client, config):
    info = get(client, config, "/api/info").json()
    assert {"teach", "x60", "c908", "ara"} <= set(info["presets"])
    assert "linux" in info["envs"] and "rv64gcv" in info["isas"]
    ex = get(client, config, "/api/examples").json()["examples"]
    ids = {e["id"] for e in ex}
    assert {"course/hello", "course/factorial", "course/sum_array"} <= ids
    files = get(client, config, "/api/example?id=course/hello").json()["files"]
    assert files[0]["name"] == "hello.s" and "Hello" in files[0]["text"]
    assert get(client, config, "/api/example?id=nope").status_code == 400
    listing = get(client, config, "/api/files").json()["files"]
    assert {"name": "cmdline.s", "source": "command line"} in listing
    assert {"name": "lib.s", "source": "allow-dir"} in listing
    assert all("secret" not in f["name"] for f in listing)


def test_assemble_reports_errors_with_line_col_hint(client, config):
    src = [{"name": "a.s", "text": "_start:\n    li a0, 1\n    addi a0, a0\n"}]
    r = client.post(f"/api/assemble?token={config.token}", json={"files": src, "isa": "rv64gc"}).json()
    assert not r["ok"]
    (d,) = r["errors"]
    assert (d["file"], d["line"], d["col"]) == ("a.s", 3, 5)
    assert "3 operands" in d["message"] and d["hint"]
    r = client.post(f"/api/assemble?token={config.token}", json={"files": "nope"})
    assert r.status_code == 400


def test_several_files_are_linked(tab):
    main = {"name": "main.s", "text": "        .globl _start\n_start: call seven\n        li a7, 93\n"
                                      "        ecall\n"}
    lib = {"name": "lib.s", "text": "        .globl seven\nseven:  li a0, 7\n        ret\n"}
    r = tab("load", files=[main, lib])
    assert r["ok"], r
    assert set(r["program"]["lines"]) == {"main.s", "lib.s"}
    r = tab("continue")
    assert r["stop"]["reason"] == "exit" and r["stop"]["exit_code"] == 7


def test_step_registers_and_breakpoints(tab):
    r = tab("load", files=SUM, memory={"follow": "array", "count": 32})
    assert r["ok"]
    st = r["state"]
    assert st["where"] == {"file": "sum_array.s", "line": 10}
    assert st["memory"]["bytes"][:16] == "0300000001000000"     # array: .word 3, 1
    # five source lines: la (two instructions), li, li, lw, add: a0 = 3
    for _ in range(5):
        r = tab("step")
        assert r["stop"]["reason"] == "step"
    x = [int(v, 16) for v in r["state"]["x"]]
    assert x[10] == 3 and x[6] == 8 and x[7] == 3
    assert r["state"]["where"]["line"] == 16
    assert {"location": "a0", "text": "a0: 0x0 -> 0x3 (0 -> 3)"} in r["stop"]["changes"]
    # stepi goes by instructions
    assert tab("stepi", n=2)["state"]["where"]["line"] == 18
    # a breakpoint on `add` (line 15): the loop stops there with a0 holding the running sum
    assert tab("break", file="sum_array.s", line=15)["breakpoints"] == [["sum_array.s", 15]]
    r = tab("continue")
    assert r["stop"]["reason"] == "breakpoint" and r["state"]["where"]["line"] == 15
    assert int(r["state"]["x"][10], 16) == 3 and int(r["state"]["x"][7], 16) == 1
    r = tab("break", file="sum_array.s", line=3)        # no code on a .data line
    assert not r["ok"] and "no instruction" in r["error"]
    tab("break", file="sum_array.s", line=15, on=False)
    r = tab("continue")
    assert {k: r["stop"][k] for k in ("reason", "exit_code", "message")} == \
        {"reason": "exit", "exit_code": 31, "message": "program exited with status 31"}
    assert not tab("step")["ok"]            # the program has exited
    # continue to cursor after a reset
    tab("reset")
    r = tab("until", file="sum_array.s", line=18)
    assert r["state"]["where"]["line"] == 18 and int(r["state"]["x"][10], 16) == 3


def test_step_over_and_out(tab):
    assert tab("load", files=example_files("course/factorial"))["ok"]
    tab("step")                          # li a0, 5
    r = tab("next")                      # call fact (auipc + jalr): the whole call
    assert r["state"]["where"]["line"] == 8 and int(r["state"]["x"][10], 16) == 120
    tab("reset")
    # line 21 is first reached when fact(1) has returned into fact(2): fact(2..5) and _start are live
    r = tab("until", file="factorial.s", line=21)
    frames = [(f["function"], f["where"]["line"]) for f in r["state"]["stack"]]
    assert frames == [("fact", 21), ("fact", 20), ("fact", 20), ("fact", 20), ("_start", 7)]
    r = tab("finish")           # fact(2) returns 2! into fact(3)
    assert r["state"]["where"]["line"] == 21 and int(r["state"]["x"][10], 16) == 2
    assert len(r["state"]["stack"]) == 4


def test_console_output_and_input(tab):
    assert tab("load", files=example_files("course/hello"))["ok"]
    r = tab("continue")
    assert r["console"] == "Hello, RISC-V!\n" and r["stop"]["exit_code"] == 0
    assert tab("load", files=example_files("course/echo_input"))["ok"]
    rid = tab.send("continue")
    time.sleep(0.2)
    tab("input", text="typed line\n")
    r = tab.reply(rid)
    assert r["console"] == "typed line\n" and r["stop"]["reason"] == "exit"


def test_stop_a_runaway_loop(tab):
    assert tab("load", files=example_files("course/runaway"))["ok"]
    rid = tab.send("continue", budget=2_000_000_000)
    time.sleep(0.5)
    tab("stop")
    r = tab.reply(rid)
    assert r["stop"]["reason"] == "stopped" and r["stop"]["instructions"] > 0
    assert any(e.get("event") == "progress" for e in tab.events)
    # the budget ends a run too
    r = tab("continue", budget=1000)
    assert r["stop"]["reason"] == "budget" and r["stop"]["instructions"] == 1000


def test_trap_is_reported(tab):
    src = [{"name": "t.s", "text": "        .globl _start\n_start: li t0, 0\n        ld a0, 0(t0)\n"}]
    assert tab("load", files=src, isa="rv64gc")["ok"]
    r = tab("continue")
    assert r["stop"]["reason"] == "trap" and "load access" in r["stop"]["message"]
    assert r["state"]["where"]["line"] == 3          # stopped there, for inspection
    r = tab("continue")
    assert not r["ok"] and "trap" in r["error"]


def test_vector_state(tab):
    assert tab("load", files=example_files("course/vector_add"))["ok"]
    r = tab("step", n=6)       # li, la x3 (6 instructions: li + 2x(auipc, addi)... ) then vsetvli
    while r["state"]["vector"]["vl"] == 0:
        r = tab("step")
    v = r["state"]["vector"]
    assert v["vl"] == 8 and v["vtype"]["sew"] == 32 and v["vtype"]["lmul"] == 1 and v["vtype"]["ta"]
    assert v["vlen"] == 256 and len(v["regs"]) == 32 and len(v["regs"][0]) == 64
    r = tab("step", n=3)       # vle32 v1, vle32 v2, vadd v3
    v3 = bytes.fromhex(r["state"]["vector"]["regs"][3])
    assert [int.from_bytes(v3[i:i + 4], "little") for i in range(0, 32, 4)] == \
        [101, 202, 303, 404, 505, 606, 707, 808]


def test_timing_preset_matches_rvsim_run(tab, tmp_path):
    import subprocess
    import sys
    files = example_files("course/sum_array")
    r = tab("load", files=files, preset="x60")
    assert r["ok"] and r["program"]["timing"] == "x60"
    r = tab("continue")
    t = r["state"]["timing"]
    src = tmp_path / "sum_array.s"
    src.write_text(files[0]["text"])
    stats = tmp_path / "stats.json"
    subprocess.run([sys.executable, "-m", "rvsim", "run", "--timing", "x60", "--stats", str(stats), str(src)],
                   capture_output=True, cwd=Path(__file__).parents[1])
    ref = json.loads(stats.read_text())
    assert t["cycles"] == ref["cycles"] and t["instructions"] == ref["instructions"]
    assert t["stalls"] == {k: v for k, v in ref["timing"]["stalls"].items() if v}
    # the timeline ends with the last instruction, whose result is ready at the last cycle
    assert t["timeline"][-1]["text"] == "ecall" and t["timeline"][-1]["done"] == ref["cycles"]
    # per-line cycles add up to the total over the program's lines
    assert sum(c["cycles"] for c in t["by_line"]["sum_array.s"].values()) <= ref["cycles"]
    assert tab("load", files=files, preset="nonesuch")["ok"] is False
    assert "no timing preset" in tab("load", files=files, preset="/etc/passwd")["error"]


def test_user_toml_preset(tab):
    r = tab("load", files=SUM, preset='name = "mine"\n')
    assert r["ok"] and r["program"]["timing"] == "mine", r


def test_tabs_are_independent(client, config):
    with client.websocket_connect(f"/ws?token={config.token}") as w1, \
            client.websocket_connect(f"/ws?token={config.token}") as w2:
        a, b = Tab(w1), Tab(w2)
        assert a("load", files=SUM)["ok"] and b("load", files=SUM)["ok"]
        a("step", n=4)
        assert b("state")["state"]["instret"] == 0
        assert len(client.app.state.sessions) == 2
    # closing a tab frees its machine
    for _ in range(50):
        if not client.app.state.sessions:
            break
        time.sleep(0.05)
    assert client.app.state.sessions == {}


def test_too_many_tabs(config):
    config.max_sessions = 1
    with TestClient(create_app(config)) as c:
        with c.websocket_connect(f"/ws?token={config.token}") as w1:
            Tab(w1)("state")
            with pytest.raises(WebSocketDisconnect) as exc:
                with c.websocket_connect(f"/ws?token={config.token}") as w2:
                    w2.receive_text()
            assert exc.value.code == 4429


def test_memory_view_follows(tab):
    assert tab("load", files=SUM)["ok"]
    r = tab("memory", follow="array", count=16)
    assert r["bytes"] == "03000000010000000400000001000000"
    r = tab("memory", follow="sp", count=16)
    assert int(r["address"], 16) % 16 == 0
    assert not tab("memory", follow="nowhere")["ok"]


def test_reverse_steps(tab):
    from rvsim.machine import Machine
    if not hasattr(Machine, "reverse_step"):
        pytest.skip("this rvsim has no reverse execution (Machine.reverse_step)")
    r = tab("load", files=SUM)
    assert r["program"]["reverse"], r["program"]
    for _ in range(5):
        r = tab("step")
    assert int(r["state"]["x"][10], 16) == 3 and r["state"]["where"]["line"] == 16
    tab("reverse_step")
    r = tab("reverse_step")             # back over `add` and `lw`
    assert r["state"]["where"]["line"] == 14
    x = [int(v, 16) for v in r["state"]["x"]]
    assert x[10] == 0 and x[7] == 0 and x[6] == 8
    r = tab("reverse_stepi")            # li a0, 0 undone... a0 was 0 already; t1 still 8
    assert r["state"]["where"]["line"] == 12
    # run to the end, then back to a breakpoint on `add` in the last iteration
    r = tab("continue")
    assert r["stop"]["exit_code"] == 31
    tab("break", file="sum_array.s", line=15)
    r = tab("reverse_continue")
    assert r["stop"]["reason"] == "breakpoint" and r["state"]["where"]["line"] == 15
    assert int(r["state"]["x"][10], 16) == 31 - 6 and int(r["state"]["x"][7], 16) == 6
    tab("break", file="sum_array.s", line=15, on=False)
    r = tab("reverse_continue")
    assert r["stop"]["reason"] == "history_start" and r["state"]["where"]["line"] == 10
    assert r["state"]["instret"] == 0


def test_idle_tab_is_closed(config):
    config.idle_seconds = 0.3
    with TestClient(create_app(config)) as c:
        with pytest.raises(WebSocketDisconnect) as exc:
            with c.websocket_connect(f"/ws?token={config.token}") as ws:
                time.sleep(0.6)
                ws.receive_text()
        assert exc.value.code == 4408


def test_teaching_environments_and_main(tab):
    from rvsim.web.session import environment_names
    assert {"rars", "venus"} <= set(environment_names())
    assert tab("load", files=example_files("course/rars_hello"), env="rars")["ok"]
    r = tab("continue")
    assert r["console"] == "Hello from RARS\n6 * 7 = 42\n" and r["stop"]["exit_code"] == 0
    assert tab("load", files=example_files("course/venus_hello"), env="venus")["ok"]
    assert tab("continue")["console"] == "Hello from Venus: 2024\n"
    # main and no _start: `ret` from main ends the program with a0
    assert tab("load", files=example_files("course/main_return"))["ok"]
    assert tab("continue")["stop"]["exit_code"] == 42
    r = tab("load", files=SUM, env="dos")
    assert not r["ok"] and "not available" in r["error"]


def test_warnings_do_not_stop_the_program(tab):
    r = tab("load", files=[{"name": "w.s", "text": ".data\nb: .byte 1\nw: .word 5\n.text\n"
                                                   ".globl _start\n_start: li a7, 93\n ecall\n"}])
    assert r["ok"]
    if not r["warnings"]:
        pytest.skip("this assembler does not warn about misaligned data")
    (w,) = r["warnings"]
    assert (w["line"], w["severity"]) == (3, "warning") and "misaligned" in w["message"]


def test_cli_serves_and_stays_lazy(tmp_path):
    """`rvsim web` prints its address with the token and serves the page; `rvsim` itself does not import
    the web stack."""
    import subprocess
    import sys
    import urllib.request
    root = Path(__file__).parents[1]
    env = dict(__import__("os").environ, PYTHONPATH=str(root))
    out = subprocess.run([sys.executable, "-c", "import sys, rvsim.cli; "
                          "print(any(m.startswith(('starlette', 'uvicorn')) for m in sys.modules))"],
                         capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "False"
    prog = tmp_path / "p.s"
    prog.write_text(SUM[0]["text"])
    r = subprocess.run([sys.executable, "-m", "rvsim", "web", "--no-browser", str(tmp_path / "none.s")],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 2 and "no such file" in r.stderr
    proc = subprocess.Popen([sys.executable, "-m", "rvsim", "web", "--no-browser", "--port", "0", str(prog)],
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stderr.readline()
        assert line.startswith("rvsim web: serving on http://127.0.0.1:") and "WARNING" not in line
        url = line.split()[-1]
        base, _, token = url.partition("/?token=")
        with urllib.request.urlopen(f"{base}/api/files?token={token}", timeout=10) as resp:
            assert json.load(resp)["files"] == [{"name": "p.s", "source": "command line"}]
        try:
            urllib.request.urlopen(f"{base}/api/files", timeout=10)
            raise AssertionError("served without the token")
        except urllib.error.HTTPError as exc:
            assert exc.code == 403
    finally:
        proc.terminate()
        proc.wait(10)


def test_host_warning():
    from rvsim.web.server import is_loopback
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("lab-pc")


def test_debugger_command_line(tab):
    """rvsim debug's command language from the page's debugger console."""
    assert tab("load", files=SUM)["ok"]
    r = tab("command", line="break 15")
    assert r["lines"] == ["Breakpoint 1 at 0x100f8: file sum_array.s, line 15."] or \
        r["lines"][0].startswith("Breakpoint 1 at ")
    assert r["breakpoints"] == [["sum_array.s", 15]] and "stop" not in r
    r = tab("command", line="continue")
    assert r["stop"]["reason"] == "breakpoint" and r["state"]["where"]["line"] == 15
    assert tab("command", line="print/x $t2")["lines"] == ["$1 = 0x3"]
    assert tab("command", line="x/4dw array")["lines"][0].endswith("3\t1\t4\t1")
    r = tab("command", line="watch $a0")
    r = tab("command", line="continue")
    assert r["stop"]["reason"] == "watchpoint" and "New value = 3" in r["lines"]
    r = tab("command", line="set var $a0 = 7")
    assert int(r["state"]["x"][10], 16) == 7
    r = tab("command", line="delete")
    assert r["breakpoints"] == []
    assert "Undefined command" in tab("command", line="frobnicate")["lines"][0]
    for word in ("quit", "shell ls", "source /etc/passwd"):
        r = tab("command", line=word)
        assert not r["ok"] and "not available" in r["error"]
    # `list` of a file that is not part of the program reads nothing from the host
    r = tab("command", line="list /etc/passwd:1")
    assert "root" not in json.dumps(r)


def test_flood_of_output_is_bounded(tab):
    """A program that prints without end: the console keeps a bounded amount and says what it dropped."""
    src = [{"name": "flood.s", "text": "        .globl _start\n_start:\n        li a0, 1\n        la a1, msg\n"
                                      "        li a2, 4096\n        li a7, 64\n1:      ecall\n        li a0, 1\n"
                                      "        j 1b\n        .data\nmsg:    .fill 4096, 1, 0x41\n"}]
    assert tab("load", files=src, isa="rv64gc")["ok"]
    r = tab("continue", budget=50_000)        # 10 000 writes of 4 KiB
    assert r["stop"]["reason"] == "budget"
    shown = r["console"] + "".join(e.get("console", "") for e in tab.events)
    assert len(shown) < 40 << 20
    assert "more bytes of output not shown" in shown


def test_an_rv32_program_assembles_steps_and_shows_32_bit_registers(client, config, tab):
    # the page's default ISA (rv64gcv) follows the program's own `.attribute arch`, as the CLI does
    src = [{"name": "m.s", "text": '    .attribute arch, "rv32i2p1_m2p0"\n    .globl _start\n_start:\n'
            "    li a0, -1\n    li a1, 5\n    mul a2, a0, a1\n    li a7, 93\n    ecall\n"}]
    assert client.post(f"/api/assemble?token={config.token}", json={"files": src}).json()["ok"]
    assert tab("load", files=src)["ok"]
    for _ in range(3):
        r = tab("step")
        assert r["ok"] and r["stop"]["reason"] == "step"
    assert r["state"]["x"][10:13] == ["0xffffffff", "0x5", "0xfffffffb"]     # -1, 5, -1 * 5 in 32 bits
    assert {"location": "a2", "text": "a2: 0x0 -> 0xfffffffb (0 -> -5)"} in r["stop"]["changes"]
    assert tab("continue")["stop"]["exit_code"] == 255          # exit(-1)
