#!/usr/bin/env python3
"""The two-instance check, run by scripts/test.sh against scripts/cluster.sh itself.

Through the nginx balancer in front of two Zender instances on one PostgreSQL database:
  1. an editor who logged in through the balancer stays logged in on both instances;
  2. a ticker item posted through instance A reaches a live reader connected to instance B
     within 1 s;
  3. when instance B is killed, its reader reconnects through the balancer with Last-Event-ID
     and gets the item posted while it was away;
  4. Ctrl-C stops the cluster cleanly.
Prints one line per check and exits non-zero on the first failure. Standard library only.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

EDITOR = "redactie@lindewijk.example"
PASSWORD = "cluster-controle-wachtwoord"
DEADLINE = 1.0  # seconds from a post to a reader on the other instance


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, headers=None, body=None, timeout=10):
    """One request on a connection of its own (so the balancer picks an instance each time)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


class Stream:
    """A live reader: GET /live, read event by event."""

    def __init__(self, port, last_event_id=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.conn.request("GET", "/live?onderwerpen=ticker", headers=headers)
        self.response = self.conn.getresponse()
        assert self.response.status == 200, f"/live answered {self.response.status}"
        self.upstream = self.response.getheader("X-Upstream", "")
        self.last_id = last_event_id

    def wait_for(self, needle, seconds):
        """Reads events until one whose data contains `needle`; None when the stream ends."""
        end = time.monotonic() + seconds
        event_id, data = None, []
        while time.monotonic() < end:
            self.conn.sock.settimeout(max(0.05, end - time.monotonic()))
            try:
                line = self.response.readline()
            except (socket.timeout, TimeoutError):
                return None
            if not line:
                return None
            line = line.decode().rstrip("\r\n")
            if line.startswith("id:"):
                event_id = int(line[3:].strip())
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif line == "":
                if event_id is not None:
                    self.last_id = event_id
                if any(needle in d for d in data):
                    return "\n".join(data)
                event_id, data = None, []
        return None

    def close(self):
        self.conn.close()


def check(label, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} {label}{': ' + detail if detail else ''}", flush=True)
    if not ok:
        raise SystemExit(1)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    workdir = tempfile.mkdtemp(prefix="zender-cluster.")
    os.chmod(workdir, 0o755)
    port = free_port()
    env = dict(os.environ, ZENDER_CLUSTER_DIR=workdir, ZENDER_CLUSTER_PORT=str(port),
               ZENDER_DEMO_PASSWORD=PASSWORD)
    for name in ("ZENDER_DATABASE_URL", "ZENDER_DATA_DIR", "ZENDER_ADDR"):
        env.pop(name, None)
    cluster = subprocess.Popen([os.path.join(root, "scripts/cluster.sh"), "--no-build"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               cwd=root, start_new_session=True)
    log = []
    instances = {}
    try:
        started = time.monotonic()
        for line in cluster.stdout:
            log.append(line)
            if "Zender-cluster draait op" in line:
                break
            if time.monotonic() - started > 120:
                break
        up = any("Zender-cluster draait op" in line for line in log)
        check("scripts/cluster.sh starts PostgreSQL, two instances and nginx", up,
              "" if up else "".join(log[-20:]))
        with open(os.path.join(workdir, "instances")) as f:
            for line in f:
                name, instance_port, pid = line.split()
                instances[name] = (int(instance_port), int(pid))
        port_a, _ = instances["a"]
        port_b, pid_b = instances["b"]
        addr_a, addr_b = f"127.0.0.1:{port_a}", f"127.0.0.1:{port_b}"
        base = f"http://127.0.0.1:{port}"

        # 1. Logged in through the balancer, on both instances.
        response, _ = request(port, "GET", "/redactie")
        check("a reader without a session is sent to the login", response.status == 303)
        form = urllib.parse.urlencode({"email": EDITOR, "wachtwoord": PASSWORD})
        response, _ = request(port, "POST", "/redactie/inloggen", {
            "Origin": base, "Content-Type": "application/x-www-form-urlencoded"}, form)
        cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
        check("the editor logs in through the balancer", response.status == 303 and "=" in cookie,
              str(response.status))
        served_by = set()
        for _ in range(6):
            response, _ = request(port, "GET", "/redactie", {"Cookie": cookie})
            if response.status != 200:
                check("the session holds on every instance", False,
                      f"{response.status} from {response.getheader('X-Upstream')}")
            served_by.add(response.getheader("X-Upstream"))
        check("the session holds on both instances", {addr_a, addr_b} <= served_by,
              f"newsroom served by {sorted(served_by)}")

        # 2. Posted through A, read on B within a second.
        streams = []
        on_b = None
        for _ in range(6):
            stream = Stream(port)
            streams.append(stream)
            if stream.upstream == addr_b:
                on_b = stream
                break
        check("a live reader is connected to instance B through the balancer", on_b is not None,
              str([s.upstream for s in streams]))
        text = f"Clusterbericht via A {os.getpid()}"
        posted = time.monotonic()
        response, _ = request(port_a, "POST", "/redactie/live/ticker", {
            "Origin": base, "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            urllib.parse.urlencode({"bericht": text, "link": "", "verloopt": ""}))
        check("the ticker item is posted on instance A", response.status == 303, str(response.status))
        got = on_b.wait_for(text, 5)
        delay = time.monotonic() - posted
        check("the reader on instance B has it within 1 s", got is not None and delay <= DEADLINE,
              f"{delay * 1000:.0f} ms")

        # 3. B dies; its reader comes back through the balancer and misses nothing.
        os.kill(pid_b, signal.SIGKILL)
        ended = on_b.wait_for("\0never\0", 5) is None
        check("instance B is gone and its reader's stream has ended", ended)
        missed = f"Clusterbericht terwijl B weg was {os.getpid()}"
        response, _ = request(port_a, "POST", "/redactie/live/ticker", {
            "Origin": base, "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            urllib.parse.urlencode({"bericht": missed, "link": "", "verloopt": ""}))
        check("another item is posted while B is down", response.status == 303)
        again = Stream(port, last_event_id=on_b.last_id)
        got = again.wait_for(missed, 5)
        check("the reader reconnects through the balancer (Last-Event-ID) and gets what it missed",
              got is not None, f"reconnected via {again.upstream}, after event {on_b.last_id}")
        again.close()
        for stream in streams:
            stream.close()
        statuses = [request(port, "GET", "/")[0].status for _ in range(4)]
        check("pages keep coming through the balancer", statuses == [200] * 4, str(statuses))
    finally:
        # 4. Ctrl-C.
        if cluster.poll() is None:
            os.killpg(cluster.pid, signal.SIGINT)
        try:
            rest, _ = cluster.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(cluster.pid, signal.SIGKILL)
            rest = cluster.communicate()[0]
            print("".join(log) + rest, file=sys.stderr)
            check("Ctrl-C stops the cluster", False, "still running after 60 s")
        still_open = []
        for p in [port] + [p for p, _ in instances.values()]:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", p)) == 0:
                    still_open.append(p)
        shutil.rmtree(workdir, ignore_errors=True)
    check("Ctrl-C stops the cluster cleanly", cluster.returncode == 0 and not still_open,
          f"exit {cluster.returncode}, ports still open: {still_open}")
    print("cluster check: all passed")


if __name__ == "__main__":
    main()
