"""Nothing the course starts is reachable from the network, and nothing secret is committed.

- the downstream service and JupyterLab listen on 127.0.0.1 only;
- JupyterLab, started with the very argument list `python3 course.py lab` builds, keeps
  token authentication on: /api/status answers 403 without the token, 200 with it; and
  the URL it prints, with its token, opens the start notebook rather than the Launcher;
- no committed file turns authentication off, holds a credential, or names a path that
  exists only on the machine it was written on.
"""
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import helpers

from support.ci import skip_or_fail
from support.course_script import load_course_py
from support.fakes import free_port
from support.network import listening_addresses
from support.timing import time_limit

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1"}


@pytest.fixture(autouse=True)
def hard_time_bound():
    with time_limit(90):
        yield


def test_the_service_listens_on_loopback_only():
    with helpers.Service(delay=0.1) as service:
        addresses = listening_addresses(service.port)
    if addresses is None:
        skip_or_fail("reading listening sockets needs Linux's /proc/net/tcp")
    assert addresses == LOOPBACK, f"the service listens on {addresses}"


# -- JupyterLab, as course.py starts it ----------------------------------------------------
def lab_arguments(monkeypatch):
    """The argument list `python3 course.py lab` would exec, without running anything."""
    course = load_course_py()
    captured = []
    monkeypatch.setattr(course, "setup", lambda: None)
    monkeypatch.setattr(course.os, "execv", lambda path, args: captured.append(list(args)))
    monkeypatch.chdir(ROOT)  # main() changes directory; this puts it back afterwards
    course.main(["lab"])
    assert len(captured) == 1, "course.py lab should exec JupyterLab exactly once"
    return captured[0]


def test_course_py_serves_jupyterlab_on_loopback_with_its_token(monkeypatch):
    args = lab_arguments(monkeypatch)
    assert args[1] == "lab" and "--ip=127.0.0.1" in args, args
    assert not [a for a in args if re.search(r"token|password|--ip=(?!127\.0\.0\.1$)", a)], args


def api_status(port, token=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/status")
    if token is not None:
        request.add_header("Authorization", f"token {token}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=5) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for_server_info(runtime_dir, process, deadline):
    """The jpserver-PID.json that Jupyter writes once it listens (it holds the token)."""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited with code {process.returncode}")
        for info_file in runtime_dir.glob("jpserver-*.json"):
            try:
                return json.loads(info_file.read_text())
            except ValueError:
                pass  # still being written
        time.sleep(0.2)
    pytest.fail("JupyterLab did not start within its time")


def wait_until_listening(port, process, deadline):
    """The addresses listening on `port`, once there are any.

    Jupyter may write its server-info file before it binds its port (the bind is a
    callback on its event loop), so an empty answer at first is a race, not a verdict.
    """
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited with code {process.returncode}")
        addresses = listening_addresses(port)
        if addresses != set():
            return addresses  # the addresses, or None where /proc/net/tcp does not exist
        time.sleep(0.2)
    pytest.fail(f"JupyterLab wrote its server info but never listened on port {port}")


def isolated_environment(folder):
    """An environment whose Jupyter folders are all under `folder` (nothing in home)."""
    env = dict(os.environ)
    for variable in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                     "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR",
                     "MPLCONFIGDIR"):
        (folder / variable.lower()).mkdir()
        env[variable] = str(folder / variable.lower())
    env.pop("JUPYTER_TOKEN", None)  # a token from the caller's shell would hide the default
    return env


class Lab:
    """JupyterLab, started with the argument list of `python3 course.py lab`."""

    def __init__(self, folder):
        self.port = free_port()
        with pytest.MonkeyPatch.context() as monkeypatch:
            arguments = lab_arguments(monkeypatch)
        arguments += ["--no-browser", f"--ServerApp.port={self.port}",
                      "--ServerApp.port_retries=0"]
        env = isolated_environment(folder)
        self.log = folder / "lab.log"
        with open(self.log, "wb") as log:  # Lab prints its URLs in its log, on stderr
            self.process = subprocess.Popen(arguments, cwd=ROOT, env=env,
                                            start_new_session=True,
                                            stdout=subprocess.DEVNULL, stderr=log)
        try:
            deadline = time.monotonic() + 60
            self.info = wait_for_server_info(Path(env["JUPYTER_RUNTIME_DIR"]), self.process,
                                             deadline)
            self.addresses = wait_until_listening(self.port, self.process, deadline)
            self.printed_url = self._wait_for_printed_url(deadline)
        except BaseException:
            self.stop()
            raise

    def _wait_for_printed_url(self, deadline):
        """The URL Lab tells you to copy and paste (the last one it prints)."""
        while time.monotonic() < deadline:
            urls = re.findall(r"https?://\S+\?token=\w+", self.log.read_text(errors="replace"))
            if urls:
                return urls[-1]
            time.sleep(0.2)
        pytest.fail(f"JupyterLab printed no URL with a token:\n{self.log.read_text()}")

    def stop(self):
        stop_process_group(self.process)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with time_limit(90):
        started = Lab(tmp_path_factory.mktemp("lab"))
    yield started
    started.stop()


def test_jupyterlab_as_course_py_starts_it_needs_the_token(lab):
    assert lab.info["port"] == lab.port
    if lab.addresses is not None:
        assert lab.addresses == LOOPBACK, f"JupyterLab listens on {lab.addresses}"
    token = lab.info["token"]
    assert len(token) >= 32, "JupyterLab should make a long random token"
    assert api_status(lab.port) in (401, 403), "the API answered without a token"
    assert api_status(lab.port, "not-the-token") in (401, 403)
    assert api_status(lab.port, token) == 200


def test_the_url_jupyterlab_prints_opens_the_start_notebook(lab):
    """A learner copies the printed URL (over SSH, from a container): it must open 00, with
    the token, not the Launcher."""
    url = urllib.parse.urlsplit(lab.printed_url)
    start = Path(lab_arguments_start())
    assert (url.scheme, url.hostname, url.port) == ("http", "127.0.0.1", lab.port), url
    assert url.path == f"/lab/tree/{start.name}", lab.printed_url
    assert urllib.parse.parse_qs(url.query) == {"token": [lab.info["token"]]}, url.query
    # Lab serves the folder of the file it was given: the tree path names that file.
    assert Path(lab.info["root_dir"]) == ROOT / start.parent
    page = fetch(lab.printed_url)
    assert f'"treePath": "{start.name}"' in page, "Lab's page should open the notebook"
    contents = json.loads(fetch(f"http://127.0.0.1:{lab.port}/api/contents/{start.name}"
                                f"?content=0&token={lab.info['token']}"))
    assert contents["type"] == "notebook" and contents["path"] == start.name, contents


def lab_arguments_start():
    """The notebook course.py opens (the one argument that names a file)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        files = [a for a in lab_arguments(monkeypatch)
                 if a.endswith(".ipynb") and not a.startswith("-")]
    assert len(files) == 1, files
    return files[0]


def fetch(url):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as reply:
        assert reply.status == 200, url
        return reply.read().decode()


def stop_process_group(process):
    """Stop a process started with start_new_session=True and everything it started."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


# -- what is committed ------------------------------------------------------------------------
def files_to_commit():
    """Tracked files plus new ones git would add (not ignored): what the repo publishes."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT, capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        skip_or_fail("git is not installed")
    if listing.returncode != 0:
        skip_or_fail("not a git checkout (a downloaded copy): nothing to scan")
    return [ROOT / name for name in listing.stdout.split("\0")
            if name and (ROOT / name).is_file()]


# Built from pieces, so that this file does not match its own patterns.
SLASH = "/"
MACHINE_PATHS = re.compile(
    SLASH + "(?:work|root|tmp)" + SLASH + "|" + SLASH + "home" + SLASH + "[a-z]"
    + "|" + SLASH + "Users" + SLASH + "[A-Za-z]|[A-Z]:" + r"\\\\Users")
SECRETS = re.compile("|".join([
    r"\bgh[pousr]_[A-Za-z0-9]{30,}",                     # GitHub tokens
    r"\bgithub_pat_[A-Za-z0-9_]{30,}",
    r"\bAKIA[0-9A-Z]{16}\b",                             # AWS access key
    r"\bsk-[A-Za-z0-9]{20,}",                            # API keys of several services
    r"\bxox[abprs]-[A-Za-z0-9-]{10,}",                   # Slack
    "-----BEGIN [A-Z ]*" + "PRIVATE KEY-----",
    r"[?&]token=[0-9a-f]{16,}",                          # a Jupyter URL with its token
    r"\b[0-9a-f]{48}\b",                                 # the shape of a Jupyter token
]))
AUTH_OFF = re.compile("|".join([
    r"\.(?:token|password)\s*=\s*(?:''|\"\")",             # an empty token or password...
    r"--\w+\.(?:token|password)=(?=\s|$|[\"',\]])",        # ...also as a bare option
    r"disable_check_xsrf\s*=\s*True",
    r"--ip=(?:0\.0\.0\.0|\*|'\*'|\"\*\")",                  # every network interface
    r"allow_origin\s*=\s*['\"]\*",
]), re.MULTILINE)


@pytest.mark.parametrize("pattern, what", [
    (MACHINE_PATHS, "a path that exists only on one machine"),
    (SECRETS, "something that looks like a credential"),
    (AUTH_OFF, "a setting that turns Jupyter's authentication off or opens it to the network"),
], ids=["machine-paths", "secrets", "auth-off"])
def test_no_committed_file_holds(pattern, what):
    offenders = []
    for path in files_to_commit():
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)[:40]!r}")
    assert not offenders, f"{what}:\n" + "\n".join(offenders)


def test_the_patterns_catch_what_they_should():
    empty = "''"
    assert MACHINE_PATHS.search("open('" + SLASH + "tmp" + SLASH + "x')")
    assert MACHINE_PATHS.search(SLASH + "home" + SLASH + "ada" + SLASH + "course")
    assert not MACHINE_PATHS.search("notebooks/solutions/01-make-blocking-calls.py")
    assert SECRETS.search("http://127.0.0.1:8888/lab?token=" + "ab12" * 12)
    assert AUTH_OFF.search("jupyter lab --IdentityProvider" + ".token=" + empty)
    assert AUTH_OFF.search("c.ServerApp" + ".token = " + empty)
    assert AUTH_OFF.search('args = ["--ServerApp' + '.token=", "--no-browser"]')
    assert AUTH_OFF.search("jupyter lab --ip=" + "0.0.0.0")
    # A random token set on purpose (as the browser test does) keeps authentication on.
    assert not AUTH_OFF.search('f"--IdentityProvider' + '.token={token}"')
    assert not AUTH_OFF.search("self" + ".token = secrets.token_hex(24)")
    assert not AUTH_OFF.search("jupyter lab --ip=127.0.0.1")
