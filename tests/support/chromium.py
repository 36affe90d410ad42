"""The browser for tests/test_browser.py: find Chromium, install Debian's package when we
may, launch it headless with a throw-away profile and home folder."""
import contextlib
import os
import shutil
import subprocess
from pathlib import Path

# Override for machines without Debian's package (macOS, snap-only Ubuntu).
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
# Headless, as root, offline, with nothing phoning home.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}


def browser_problem():
    """Why this machine cannot run the browser test, or None when it can.

    Installs Debian's chromium package first when it is missing and we may
    (root on Debian): CI machines start fresh. Never `playwright install`: it
    downloads its own browser, which is neither needed nor reachable everywhere.
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return ("the Python package 'playwright' is missing; "
                "`python3 course.py test` installs it (the [test] extra of pyproject.toml)")
    if not CHROMIUM.exists() and may_install_with_apt():
        failure = install_chromium_with_apt()
        if failure:
            return f"installing Debian's chromium failed: {failure}"
    if not CHROMIUM.exists():
        return (f"no Chromium at {CHROMIUM}. Install it (Debian/Ubuntu: "
                "`sudo apt-get install chromium`) or point COURSE_CHROMIUM at a "
                "Chromium or Chrome executable")
    return None


def may_install_with_apt():
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return (CHROMIUM == Path("/usr/bin/chromium") and is_root
            and Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None)


def install_chromium_with_apt():
    """apt-get update && apt-get install -y chromium; the error text, or None on success."""
    print("\nInstalling Debian's chromium for the browser test (about 30 s, once) ...",
          flush=True)
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        try:
            done = subprocess.run(command, env=environment, capture_output=True, text=True,
                                  timeout=900)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"{' '.join(command)}: {error}"
        if done.returncode != 0:
            return f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-800:]}"
    return None


@contextlib.contextmanager
def chromium(playwright, scratch):
    """A headless Chromium with a fresh profile and a home folder inside `scratch`."""
    home = Path(scratch, "browser-home")
    home.mkdir(parents=True, exist_ok=True)
    environment = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                       XDG_CACHE_HOME=str(home / ".cache"))
    context = playwright.chromium.launch_persistent_context(
        str(Path(scratch, "browser-profile")), executable_path=str(CHROMIUM), headless=True,
        args=CHROMIUM_FLAGS, env=environment, viewport=VIEWPORT)
    try:
        yield context
    finally:
        with contextlib.suppress(Exception):
            context.close()
