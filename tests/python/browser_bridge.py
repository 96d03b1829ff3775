"""A headless Chromium for squirrel's tests, driven from Rust (tests/common/browser.rs).

One JSON command per line on stdin, one JSON reply per line on stdout:
  {"cmd": "get", "url": U}                -> {"ok": {"url": ..., "title": ...}}
                                             or {"error": "net::ERR_CERT_AUTHORITY_INVALID ..."}
  {"cmd": "eval", "script": S, "args": A} -> {"ok": what `S` returns}
  {"cmd": "eval_async", ...}              -> the same, `S` calls arguments[arguments.length - 1]
  {"cmd": "screenshot", "path": P}        -> {"ok": null}, a PNG of the whole page at P
  {"cmd": "screenshot", "path": P, "selector": S}
                                          -> {"ok": null}, a PNG of the first element S matches
  {"cmd": "pdf", "path": P}               -> {"ok": null}, the page printed (A4, print CSS) at P
  {"cmd": "quit"}                         -> {"ok": null}, then exits
The first line is {"ready": true} once the browser runs.

Selenium speaks WebDriver to chromedriver, whose path is given: Selenium Manager is
never asked to find (or download) anything. The browser can reach loopback only: the
host resolver maps every name to nothing but localhost, 127.0.0.1 and the names the
test maps (--map "squirrel.test 127.0.0.1"), and background networking is off. The
environment (HOME, so the NSS database in HOME/.pki/nssdb; SSLKEYLOGFILE) comes from
the Rust side.
"""

import argparse
import base64
import json
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

parser = argparse.ArgumentParser()
parser.add_argument("--chromium", required=True)
parser.add_argument("--chromedriver", required=True)
parser.add_argument("--user-data-dir", required=True)
parser.add_argument("--map", action="append", default=[], help="HOST ADDRESS")
parser.add_argument("--arg", action="append", default=[], help="one more Chromium flag")
parser.add_argument("--timeout", type=float, default=20, help="seconds per page load or script")
args = parser.parse_args()

rules = [f"MAP {m}" for m in args.map] + [
    "MAP * ~NOTFOUND",
    "EXCLUDE localhost",
    "EXCLUDE 127.0.0.1",
]
options = webdriver.ChromeOptions()
options.binary_location = args.chromium
for flag in [
    "--host-resolver-rules=" + ", ".join(rules),
    "--headless=new",
    "--no-sandbox",  # the tests run as root in CI, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--window-size=1200,900",
    "--user-data-dir=" + args.user_data_dir,
    *args.arg,
]:
    options.add_argument(flag)

driver = webdriver.Chrome(options=options, service=Service(args.chromedriver))
driver.set_page_load_timeout(args.timeout)
driver.set_script_timeout(args.timeout)


def reply(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def run(command):
    cmd = command["cmd"]
    if cmd == "get":
        driver.get(command["url"])
        # A certificate error loads Chromium's warning page in place of the site, and
        # some network errors an error page: both carry the error's code.
        code = driver.execute_script(
            "const e = document.querySelector('#error-code, .error-code');"
            "return e && e.textContent.trim();"
        )
        if code:
            # The warning page says NET::ERR_…, the error page ERR_…: one spelling.
            code = "net::" + code.removeprefix("NET::")
            raise RuntimeError(f"the browser shows an error page: {code}")
        return {"url": driver.current_url, "title": driver.title}
    if cmd == "eval":
        return driver.execute_script(command["script"], *command.get("args", []))
    if cmd == "eval_async":
        return driver.execute_async_script(command["script"], *command.get("args", []))
    if cmd == "screenshot":
        # The whole page, not only the window: Chromium's DevTools protocol can.
        params = {"format": "png", "captureBeyondViewport": True}
        if command.get("selector"):
            # One element: its box in page coordinates.
            box = driver.execute_script(
                "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                "return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height];",
                command["selector"],
            )
            params["clip"] = dict(zip(["x", "y", "width", "height"], box), scale=1)
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", params)
        with open(command["path"], "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return None
    if cmd == "pdf":
        # What "Print" makes: the page's print styles and its @page size (A4).
        pdf = driver.execute_cdp_cmd(
            "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}
        )
        with open(command["path"], "wb") as f:
            f.write(base64.b64decode(pdf["data"]))
        return None
    raise ValueError(f"unknown command {cmd!r}")


reply({"ready": True})
try:
    for line in sys.stdin:
        command = json.loads(line)
        if command["cmd"] == "quit":
            break
        try:
            reply({"ok": run(command)})
        except Exception as error:  # every failure goes back to the test, whole
            # Selenium's messages run on with a stack trace: its first line is the news.
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            reply({"error": f"{type(error).__name__}: {first}"})
finally:
    driver.quit()
    reply({"ok": None})
