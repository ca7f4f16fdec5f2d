#!/usr/bin/env python3
"""Remote images through the image loader (src/image/fetch.c) against
loopback HTTP servers started here, one on 127.0.0.1 and one on 127.0.0.2,
both logging every request they receive to one file. Each case runs
tests/image/fetch_tool.c and asserts its exact lines and the log.

usage: images_fetch.py FETCH_TOOL FIXTURES_IMAGES_DIR
"""
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

tool, images = sys.argv[1], sys.argv[2]
photo = open(os.path.join(images, "photo.jpg"), "rb").read()
work = tempfile.mkdtemp(prefix="gz_img_fetch_")
log_path = os.path.join(work, "requests.log")
log_lock = threading.Lock()
failures = []


def bomb():
    b = bytearray(photo)
    pos = 2
    while not (b[pos] == 0xFF and b[pos + 1] == 0xC0):
        pos += 2 + (b[pos + 2] << 8 | b[pos + 3])
    b[pos + 5:pos + 9] = bytes([40000 >> 8, 40000 & 255, 40000 >> 8, 40000 & 255])
    return bytes(b)


BOMB = bomb()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        pass

    def send_body(self, body, ctype="image/jpeg", length=True):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, to):
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        with log_lock, open(log_path, "a") as f:
            f.write("%s %s\n" % (self.server.server_address[0], self.path))
        p = self.path
        try:
            if p in ("/photo.jpg", "/photo2.jpg") or p.startswith("/photo.jpg?"):
                self.send_body(photo)
            elif p == "/wrongtype.jpg":
                self.send_body(photo, "text/html; charset=utf-8")
            elif p == "/truncated.jpg":
                self.send_body(photo[: len(photo) // 2])
            elif p == "/bomb.jpg":
                self.send_body(BOMB)
            elif p == "/redirect-private":
                self.redirect("http://127.0.0.2:%d/photo.jpg" % PORT2)
            elif p == "/redirect-ftp":
                self.redirect("ftp://127.0.0.1/photo.jpg")
            elif p == "/loop":
                self.redirect("/loop")
            elif p == "/big":
                # 50 MB declared (and begun): refused from the length
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                chunk = b"\0" * 65536
                for _ in range(800):
                    self.wfile.write(chunk)
            elif p == "/big-unsized":
                # 50 MB with no length (HTTP/1.0, ends at close): the byte cap
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.end_headers()
                self.wfile.write(photo[:2])
                chunk = b"\0" * 65536
                for _ in range(800):
                    self.wfile.write(chunk)
            elif p == "/slow":
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(photo)))
                self.end_headers()
                for i in range(0, 40):
                    self.wfile.write(photo[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.25)
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv1 = Server(("127.0.0.1", 0), Handler)
srv2 = Server(("127.0.0.2", 0), Handler)
PORT1, PORT2 = srv1.server_address[1], srv2.server_address[1]
for s in (srv1, srv2):
    threading.Thread(target=s.serve_forever, daemon=True).start()
U = "http://127.0.0.1:%d" % PORT1


def log_lines():
    if not os.path.exists(log_path):
        return []
    with log_lock:
        return open(log_path).read().splitlines()


def run(name, args, want, want_log, max_seconds=None):
    open(log_path, "w").close()
    t0 = time.monotonic()
    out = subprocess.run([tool] + args, capture_output=True, text=True, timeout=60)
    took = time.monotonic() - t0
    got = out.stdout.splitlines()
    if out.returncode != 0 or got != want:
        failures.append("%s: got %r (rc %d, %s), want %r" % (name, got, out.returncode,
                                                            out.stderr.strip(), want))
    time.sleep(0.05)  # the server thread's log line of a refused body
    logged = log_lines()
    if logged != want_log:
        failures.append("%s: server log %r, want %r" % (name, logged, want_log))
    if max_seconds is not None and took > max_seconds:
        failures.append("%s: took %.1f s, want under %.1f s" % (name, took, max_seconds))
    print("%-22s %.2f s  %s" % (name, took, " | ".join(got)))


OKPHOTO = "bytes=%d type=JPEG image=image/jpeg 320x240" % len(photo)
cache = os.path.join(work, "cache")

# Without fetch nothing is asked, whatever the URL.
run("no_fetch", ["--allow-private", U + "/photo.jpg", "https://127.0.0.1:1/x.jpg", "//127.0.0.1/y"],
    ["REMOTE_SKIPPED requests=0 why=a remote image"] * 3, [])

# Fetched and cached; the next run asks nothing.
run("fetch", ["--fetch", "--allow-private", "--cache", cache, U + "/photo.jpg"],
    ["OK requests=1 " + OKPHOTO], ["127.0.0.1 /photo.jpg"])
files = os.listdir(cache)
if len(files) != 1 or len(files[0]) != 32:
    failures.append("cache: files %r, want one of 32 hex digits" % files)
run("cached", ["--fetch", "--allow-private", "--cache", cache, U + "/photo.jpg"],
    ["OK requests=0 " + OKPHOTO], [])
# a damaged cache file is not trusted: fetched again
with open(os.path.join(cache, files[0]), "r+b") as f:
    f.seek(30)
    f.write(b"X")
run("cache_damaged", ["--fetch", "--allow-private", "--cache", cache, U + "/photo.jpg"],
    ["OK requests=1 " + OKPHOTO], ["127.0.0.1 /photo.jpg"])

# Loopback refused without --allow-private-hosts: nothing reaches the server.
run("private_refused", ["--fetch", "--cache", cache, U + "/photo2.jpg"],
    ["REFUSED requests=0 why=the address 127.0.0.1 is not public (loopback, private or reserved)"],
    [])
# The first hop allowed (the test's server taken as public), the redirect to
# 127.0.0.2 checked on its own and refused: the second server sees nothing.
run("redirect_private", ["--fetch", "--public", "127.0.0.1", "--cache", cache,
                         U + "/redirect-private"],
    ["REFUSED requests=1 why=the address 127.0.0.2 is not public (loopback, private or reserved)"],
    ["127.0.0.1 /redirect-private"])
# ... and followed with --allow-private-hosts, one hop at a time.
run("redirect_allowed", ["--fetch", "--allow-private", "--cache", cache, U + "/redirect-private"],
    ["OK requests=2 " + OKPHOTO], ["127.0.0.1 /redirect-private", "127.0.0.2 /photo.jpg"])
run("redirect_ftp", ["--fetch", "--allow-private", "--cache", cache, U + "/redirect-ftp"],
    ["REFUSED requests=1 why=a redirect to an address that is not http or https"],
    ["127.0.0.1 /redirect-ftp"])
run("redirect_loop", ["--fetch", "--allow-private", "--cache", cache, U + "/loop"],
    ["REFUSED requests=6 why=more than 5 redirects"], ["127.0.0.1 /loop"] * 6)

# Size: 50 MB declared, and 50 MB undeclared past a 1 MB cap.
run("big", ["--fetch", "--allow-private", "--cache", cache, U + "/big"],
    ["REFUSED requests=1 why=an image over the limit of 20971520 bytes"], ["127.0.0.1 /big"])
run("big_unsized", ["--fetch", "--allow-private", "--cache", cache, "--max-bytes", "1000000",
                    U + "/big-unsized"],
    ["REFUSED requests=1 why=an image over the limit of 1000000 bytes"],
    ["127.0.0.1 /big-unsized"], max_seconds=5)
# The digest's budget, shared by the images of one loader.
run("budget", ["--fetch", "--allow-private", "--cache", os.path.join(work, "c2"),
               "--max-total", "30000", U + "/photo.jpg", U + "/photo2.jpg"],
    ["OK requests=1 " + OKPHOTO,
     "REFUSED requests=2 why=the download budget of 30000 bytes is spent"],
    ["127.0.0.1 /photo.jpg", "127.0.0.1 /photo2.jpg"])

# A server that trickles: cut at the time-out.
run("slow", ["--fetch", "--allow-private", "--cache", cache, "--timeout", "1000", U + "/slow"],
    ["FAILED requests=1 why=no answer within 1000 ms"], ["127.0.0.1 /slow"], max_seconds=4)

# The bytes decide, not the Content-Type; damaged pictures are refused when processed.
run("wrong_type", ["--fetch", "--allow-private", "--cache", cache, U + "/wrongtype.jpg"],
    ["OK requests=1 " + OKPHOTO], ["127.0.0.1 /wrongtype.jpg"])
run("truncated", ["--fetch", "--allow-private", "--cache", cache, U + "/truncated.jpg"],
    ["OK requests=1 bytes=%d type=JPEG refused=a truncated JPEG" % (len(photo) // 2)],
    ["127.0.0.1 /truncated.jpg"])
run("bomb", ["--fetch", "--allow-private", "--cache", cache, U + "/bomb.jpg"],
    ["OK requests=1 bytes=%d type=JPEG refused=an image of 40000 x 40000 pixels, over the limit "
     "of 50000000 pixels" % len(photo)], ["127.0.0.1 /bomb.jpg"])
run("not_found", ["--fetch", "--allow-private", "--cache", cache, U + "/missing.jpg"],
    ["FAILED requests=1 why=the server answered 404"], ["127.0.0.1 /missing.jpg"])

# Many threads through one loader, as the writers' workers call it: the same
# image at once leaves one whole cache file; distinct images share the
# budget, which no interleaving lets them overrun (3 x 18566 > 40000).
c3 = os.path.join(work, "c3")
open(log_path, "w").close()
out = subprocess.run([tool, "--fetch", "--allow-private", "--cache", c3, "--threads", "8",
                      U + "/photo.jpg"], capture_output=True, text=True, timeout=60)
got = out.stdout.strip()
n_req = len(log_lines())
want_prefix = "ok=8 refused=0 failed=0 ok_bytes=%d requests=%d" % (8 * len(photo), n_req)
if got != want_prefix or not 1 <= n_req <= 8 or os.listdir(c3) != [files[0]]:
    failures.append("threads_same: %r, %d requests, cache %r" % (got, n_req, os.listdir(c3)))
print("threads_same           %s" % got)
out = subprocess.run([tool, "--fetch", "--allow-private", "--cache", os.path.join(work, "c4"),
                      "--max-total", "40000", "--threads", "4"] +
                     [U + "/photo.jpg?{t}-%d" % k for k in range(3)],
                     capture_output=True, text=True, timeout=60)
fields = dict(kv.split("=") for kv in out.stdout.split())
if (int(fields.get("ok", 99)) > 2 or int(fields.get("ok_bytes", 99999)) > 40000 or
        int(fields.get("ok", 0)) + int(fields.get("refused", 0)) != 12):
    failures.append("threads_budget: %r" % out.stdout)
print("threads_budget         %s" % out.stdout.strip())

leftover = [f for f in os.listdir(cache) if "." in f]
if leftover:
    failures.append("cache: temporary files left: %r" % leftover)

srv1.shutdown()
srv2.shutdown()
shutil.rmtree(work, ignore_errors=True)
for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
