"""rvsim web in a real browser: headless Chromium driven by Selenium against a server this test starts,
doing what a student does.  Needs Debian's chromium and chromium-driver (.ci/run installs them) and the
selenium package; screenshots of the runs go to docs/web-*.png (RVSIM_WEB_SCREENSHOTS=1 rewrites them).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import require_tool

pytest.importorskip("starlette")
selenium = pytest.importorskip("selenium")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException  # noqa
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from rvsim.web.server import BackgroundServer, ServerConfig  # noqa: E402
from rvsim.web.session import Limits  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHOTS = os.environ.get("RVSIM_WEB_SCREENSHOTS") == "1"


def _chromium() -> tuple[str, str]:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name), require_tool("chromedriver")
    return require_tool("chromium"), require_tool("chromedriver")


@pytest.fixture(scope="module")
def server():
    srv = BackgroundServer(ServerConfig(limits=Limits(memory=64 << 20)))
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def browser():
    binary, driver = _chromium()
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1500,950"):
        opts.add_argument(a)
    d = webdriver.Chrome(service=Service(driver), options=opts)
    yield d
    d.quit()


@pytest.fixture
def page(server, browser):
    browser.get(server.url)
    browser.execute_script("sessionStorage.clear()")
    browser.get(server.url)
    wait_for(browser, lambda d: "assembled" in status(d))
    return browser


def wait_for(d, cond, timeout=20):
    try:
        return WebDriverWait(d, timeout, ignored_exceptions=(StaleElementReferenceException,
                                                             NoSuchElementException)).until(cond)
    except Exception:
        d.save_screenshot(str(Path(tempfile.gettempdir()) / "rvsim-web-failure.png"))
        raise AssertionError(f"timed out; the page says {status(d)!r}; browser log: "
                             f"{d.get_log('browser')[-5:]}") from None


def status(d) -> str:
    return d.find_element(By.ID, "status").text


def reg(d, name) -> str:
    return d.find_element(By.ID, f"reg-{name}").text


def choose(d, select_id, value):
    """Pick an option as a user does (selenium's Select clicks are unreliable on a re-used select)."""
    d.execute_script("const s = document.getElementById(arguments[0]); s.value = arguments[1];"
                     "s.dispatchEvent(new Event('change'));", select_id, value)


def open_example(d, example_id):
    choose(d, "examples", example_id)
    name = example_id.split("/")[1]
    wait_for(d, lambda d: d.find_element(By.CSS_SELECTOR, "#filetabs .ftab.active").get_attribute(
        "data-name").startswith(name))
    wait_for(d, lambda d: "assembled" in status(d))


def click(d, button_id, wait_status=True):
    before = d.execute_script("return window.rvsimApp.state && window.rvsimApp.state.instret")
    d.find_element(By.ID, button_id).click()
    if wait_status:
        wait_for(d, lambda d: not d.execute_script("return window.rvsimApp.running") and
                 d.execute_script("return window.rvsimApp.state.instret") != before or
                 d.find_element(By.ID, "status").get_attribute("class").endswith("error"))


def click_gutter(d, line):
    """Click source line `line`'s gutter cell.  The gutter is redrawn when the editor's text or the
    machine's state changes, which can replace the cell between finding and clicking it: find it
    again then."""
    def clicked(d):
        d.find_element(By.CSS_SELECTOR, f'#gutter .gl[data-line="{line}"]').click()
        return True
    wait_for(d, clicked)


def set_source(d, text):
    ta = d.find_element(By.ID, "source")
    d.execute_script("arguments[0].value = arguments[1];"
                     "arguments[0].dispatchEvent(new Event('input'));", ta, text)


def shot(d, name):
    if SHOTS:
        d.save_screenshot(str(ROOT / "docs" / f"web-{name}.png"))


def test_error_inline_then_fixed_then_step_and_back(page):
    d = page
    open_example(d, "course/sum_array")
    text = d.execute_script("return window.rvsimApp.files[0].text")
    broken = text.replace("add     a0, a0, t2", "add     a0, a0")
    assert broken != text
    set_source(d, broken)
    diag = wait_for(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".diag[data-line]"))
    assert diag[0].get_attribute("data-line") == "15"
    assert "`add` takes 3 operands, got 2" in diag[0].text and "hint" not in diag[0].text
    assert "syntax: add rd, rs1, rs2" in diag[0].text
    gl = d.find_element(By.CSS_SELECTOR, '#gutter .gl[data-line="15"]')
    assert "error" in gl.get_attribute("class")
    listing = d.find_element(By.ID, "diagnostics").text
    assert "sum_array.s:15:9: error: `add` takes 3 operands, got 2" in listing
    shot(d, "error")
    set_source(d, text)
    wait_for(d, lambda d: "assembled" in status(d))
    assert not d.find_elements(By.CSS_SELECTOR, ".diag")
    # five steps: la, li, li, lw, add (a0 = array[0] = 3)
    for _ in range(5):
        click(d, "btn-step")
    assert reg(d, "a0") == "0x0000000000000003"
    assert reg(d, "t1") == "0x0000000000000008"
    assert reg(d, "t2") == "0x0000000000000003"
    assert "changed" in d.find_element(By.ID, "reg-a0").get_attribute("class")
    cur = d.find_element(By.CSS_SELECTOR, "#gutter .gl.current")
    assert cur.get_attribute("data-line") == "16"
    # the memory view following a label, and the bytes the program reads there
    d.find_element(By.CSS_SELECTOR, '#tabs button[data-panel="memory"]').click()
    follow = d.find_element(By.ID, "mem-follow")
    follow.clear()
    follow.send_keys("array\n")
    wait_for(d, lambda d: "03 00 00 00 01 00 00 00" in d.find_element(By.ID, "memory").text)
    choose(d, "memfmt", "words")
    assert d.find_element(By.ID, "memory").text.split()[1:5] == ["3", "1", "4", "1"]
    d.find_element(By.CSS_SELECTOR, '#tabs button[data-panel="regs"]').click()
    Select(d.find_element(By.ID, "regfmt")).select_by_value("signed")
    assert reg(d, "a0") == "3"
    Select(d.find_element(By.ID, "regfmt")).select_by_value("hex")
    shot(d, "step")
    if d.find_element(By.ID, "btn-rstep").get_attribute("disabled"):
        pytest.skip("this rvsim has no reverse execution (Machine.reverse_step)")
    click(d, "btn-rstep")
    click(d, "btn-rstep")
    # back before `lw` (line 14): a0 is 0 again, t2 not loaded yet
    assert d.find_element(By.CSS_SELECTOR, "#gutter .gl.current").get_attribute("data-line") == "14"
    assert reg(d, "a0") == "0x0000000000000000"
    assert reg(d, "t2") == "0x0000000000000000"
    assert reg(d, "t1") == "0x0000000000000008"


def test_breakpoint_by_gutter_click_and_continue(page):
    d = page
    open_example(d, "course/factorial")
    click_gutter(d, 24)     # li a0, 1 (base case)
    wait_for(d, lambda d: "breakpoint" in d.find_element(
        By.CSS_SELECTOR, '#gutter .gl[data-line="24"]').get_attribute("class"))
    click(d, "btn-run")
    assert "breakpoint at factorial.s:24" in status(d)
    assert d.find_element(By.CSS_SELECTOR, "#gutter .gl.current").get_attribute("data-line") == "24"
    assert reg(d, "a0") == "0x0000000000000001"     # fact(1)
    # the call stack: fact(1) <- fact(2..5) <- _start
    d.find_element(By.CSS_SELECTOR, '#tabs button[data-panel="stack"]').click()
    frames = [li.text.split()[0] for li in d.find_elements(By.CSS_SELECTOR, "#stack li")]
    assert frames == ["fact"] * 5 + ["_start"]
    # the debugger console: rvsim debug's commands
    gdb = d.find_element(By.ID, "gdb-input")
    gdb.send_keys("print $a0\n")
    wait_for(d, lambda d: "$1 = 1" in d.find_element(By.ID, "console").text)
    gdb.send_keys("bt\n")
    wait_for(d, lambda d: "#5  " in d.find_element(By.ID, "console").text)
    shot(d, "breakpoint")
    click_gutter(d, 24)     # off again
    wait_for(d, lambda d: "breakpoint" not in d.find_element(
        By.CSS_SELECTOR, '#gutter .gl[data-line="24"]').get_attribute("class"))
    click(d, "btn-run")
    assert "program exited with status 120" in status(d)


def test_console_output_and_input(page):
    d = page
    open_example(d, "course/hello")
    click(d, "btn-run")
    assert "Hello, RISC-V!" in d.find_element(By.ID, "console").text
    open_example(d, "course/echo_input")
    d.find_element(By.ID, "btn-run").click()
    wait_for(d, lambda d: d.execute_script("return window.rvsimApp.running"))
    box = d.find_element(By.ID, "console-input")
    box.send_keys("from the keyboard\n")
    wait_for(d, lambda d: "exited" in status(d))
    assert d.find_element(By.ID, "console").text.count("from the keyboard") == 2   # echo + output


def test_rars_program_console(page):
    d = page
    envs = [o.get_attribute("value") for o in d.find_elements(By.CSS_SELECTOR, "#env option")]
    if "rars" not in envs:
        pytest.skip("this rvsim has no --env rars (the classroom branch)")
    open_example(d, "course/rars_hello")
    assert Select(d.find_element(By.ID, "env")).first_selected_option.get_attribute("value") == "rars"
    click(d, "btn-run")
    out = d.find_element(By.ID, "console").text
    assert "Hello from RARS" in out and "6 * 7 = 42" in out


def test_stop_a_runaway_loop(page):
    d = page
    open_example(d, "course/runaway")
    budget = d.find_element(By.ID, "budget")
    budget.clear()
    budget.send_keys("2000000000")
    d.find_element(By.ID, "btn-run").click()
    wait_for(d, lambda d: "running…" in status(d) and "instructions" in status(d))
    assert d.find_element(By.ID, "btn-stop").is_enabled()
    shot(d, "running")
    d.find_element(By.ID, "btn-stop").click()
    wait_for(d, lambda d: status(d).startswith("stopped"))
    n = d.execute_script("return window.rvsimApp.state.instret")
    assert n > 1000
    assert int(d.find_element(By.ID, "reg-t0").text, 16) > 1000   # the counter kept counting
    assert not d.find_element(By.ID, "btn-stop").is_enabled()


def test_x60_timeline_matches_rvsim_run(page, tmp_path):
    d = page
    open_example(d, "kernels/saxpy_rvv")
    text = d.execute_script("return window.rvsimApp.files[0].text")
    choose(d, "preset", "x60")
    wait_for(d, lambda d: d.execute_script("return window.rvsimApp.program && window.rvsimApp.program.timing")
             == "x60")
    click(d, "btn-run")
    wait_for(d, lambda d: "exited with status 0" in status(d))
    d.find_element(By.CSS_SELECTOR, '#tabs button[data-panel="cycles"]').click()
    shown_cycles = int(d.find_element(By.ID, "t-cycles").text)
    shown_insns = int(d.find_element(By.ID, "t-insns").text)
    rows = d.find_elements(By.CSS_SELECTOR, "#timeline .row")
    assert len(rows) == 60
    last = rows[-1]
    assert "ecall" in last.text
    # the reference: the command line on the same source
    src = tmp_path / "saxpy_rvv.s"
    src.write_text(text)
    shutil.copy(ROOT / "asm" / "common.inc", tmp_path)
    shutil.copy(ROOT / "asm" / "vset.inc", tmp_path)
    stats = tmp_path / "stats.json"
    subprocess.run([sys.executable, "-m", "rvsim", "run", "--timing", "x60", "--stats", str(stats), str(src)],
                   cwd=ROOT, capture_output=True, check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    ref = json.loads(stats.read_text())
    assert shown_cycles == ref["cycles"] and shown_insns == ref["instructions"]
    assert int(last.get_attribute("data-done")) == ref["cycles"]
    # per-line cycles in the gutter of the kernel's loop
    gutter_cycles = [g.text for g in d.find_elements(By.CSS_SELECTOR, "#gutter .gl .cyc") if g.text]
    assert gutter_cycles
    shot(d, "cycles")
    choose(d, "preset", "")


def test_vector_grid(page):
    d = page
    open_example(d, "course/vector_add")
    d.find_element(By.CSS_SELECTOR, '#tabs button[data-panel="vector"]').click()
    for _ in range(8):        # li, la x3, vsetvli, vle32 x2, vadd
        click(d, "btn-step")
    assert d.find_element(By.ID, "v-vl").text == "8"
    row = d.find_elements(By.CSS_SELECTOR, "#vgrid tr")[5]       # header, mask, then v0..v3
    cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
    assert cells[:9] == ["v3", "101", "202", "303", "404", "505", "606", "707", "808"]
    assert "changed" in row.find_elements(By.TAG_NAME, "td")[1].get_attribute("class")
    # the last strip: vl = 3 of VLMAX 8, elements 3.. are the tail
    click_gutter(d, 21)
    click(d, "btn-run")
    click(d, "btn-run")
    click(d, "btn-run")
    assert d.find_element(By.ID, "v-vl").text == "3"
    row = d.find_elements(By.CSS_SELECTOR, "#vgrid tr")[5]
    tds = row.find_elements(By.TAG_NAME, "td")
    assert [t.text for t in tds[1:4]] == ["1717", "1818", "1919"]
    assert ["tail" in t.get_attribute("class") for t in tds[1:9]] == [False] * 3 + [True] * 5
    shot(d, "vector")


def test_reload_keeps_the_files(page, server):
    d = page
    open_example(d, "course/hello")
    d.refresh()
    wait_for(d, lambda d: "assembled" in status(d))
    assert d.execute_script("return window.rvsimApp.files[0].name") == "hello.s"


def test_step_round_trip(page):
    """Measured, not asserted: the time from a Step click's request to its reply (printed)."""
    d = page
    open_example(d, "course/runaway")
    times = []
    for _ in range(20):
        click(d, "btn-stepi")
        times.append(d.execute_script("return window.rvsimApp.lastRoundTrip"))
    times.sort()
    print(f"\nstep round trip over the WebSocket: median {times[len(times) // 2]:.1f} ms, "
          f"max {times[-1]:.1f} ms")
