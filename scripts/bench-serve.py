#!/usr/bin/env python3
"""Save-to-reload latency of `cxbook serve` on a large handbook.

  scripts/bench-serve.py [--maps 1000] [--saves 20] [--bin target/release/cxbook]
                         [--root DIR] [--log FILE]

Generates a handbook with ../shared/bench/gen-corpus.py (or $GEN), starts
`cxbook serve --port 0` on it, listens to the reload events like an open
page does, then saves one map N times (a new title each time) and measures:

  event: from the save to the reload event (the new site is swapped in)
  page:  from the save to the reloaded map page fetched with the new title

Prints each save, then the median and the worst. `--root DIR` reuses a
handbook generated before (the saved map is restored afterwards); `--log FILE`
keeps the server's standard error (run with CXBOOK_TIMINGS=1 for its phases). Standard library only.
Build the binary first: `cargo build --release`.
"""
import argparse, os, pathlib, re, socket, statistics, subprocess, sys, tempfile, time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def http_get(host, port, path):
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


class Events:
    """An open `__cxbook/events` stream, read line by line."""

    def __init__(self, host, port, path):
        self.sock = socket.create_connection((host, port), timeout=30)
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        self.file = self.sock.makefile("rb")
        while self.file.readline() not in (b"\r\n", b""):
            pass

    def next_generation(self):
        while True:
            line = self.file.readline()
            if not line:
                raise RuntimeError("event stream closed")
            if line.startswith(b"data: "):
                m = re.search(rb'"generation":(\d+)', line)
                err = b'"error":null' not in line
                return int(m.group(1)), err


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--maps", type=int, default=1000)
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--bin", default=str(ROOT / "target/release/cxbook"))
    ap.add_argument("--gen", default=os.environ.get("GEN", str(ROOT.parent / "shared/bench/gen-corpus.py")))
    ap.add_argument("--root", help="a handbook generated before, instead of a new one")
    ap.add_argument("--log", help="write the server's standard error to this file")
    args = ap.parse_args()

    if args.root:
        work = pathlib.Path(args.root)
    else:
        work = pathlib.Path(tempfile.mkdtemp(prefix="cxbook-bench-serve-"))
        subprocess.run([sys.executable, args.gen, "--maps", str(args.maps), "--out", str(work)], check=True,
                       stdout=subprocess.DEVNULL)
    maps = sorted(p for p in (work / "content").rglob("*.md")
                  if "personas" not in p.parts and p.name != "_index.md" and "stages:" in p.read_text())
    target = maps[len(maps) // 2]
    map_id = target.relative_to(work / "content").with_suffix("").as_posix()
    original = target.read_text()

    log = open(args.log, "w") if args.log else subprocess.DEVNULL
    server = subprocess.Popen([args.bin, "serve", "--root", str(work), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        t_start = time.perf_counter()
        first = server.stdout.readline().strip()
        url = first.removeprefix("Serving on ")
        m = re.match(r"http://([^:/]+):(\d+)(/.*)", url)
        if not m:
            sys.exit(f"unexpected first line: {first!r} (see --log for the server's errors)")
        host, port, base = m.group(1), int(m.group(2)), m.group(3)
        print(f"{len(maps)} maps, first build and serve in {time.perf_counter() - t_start:.2f} s; "
              f"saving {map_id}")
        events = Events(host, port, base + "__cxbook/events")
        generation, _ = events.next_generation()
        to_event, to_page = [], []
        for i in range(1, args.saves + 1):
            title = f"Bench save {i}"
            text = re.sub(r"^title: .*$", f"title: {title}", original, count=1, flags=re.M)
            t0 = time.perf_counter()
            target.write_text(text)
            while True:
                g, err = events.next_generation()
                if g > generation:
                    break
            t1 = time.perf_counter()
            generation = g
            if err:
                sys.exit(f"save {i} gave a build error")
            status, body = http_get(host, port, f"{base}{map_id}/")
            t2 = time.perf_counter()
            if status != 200 or title not in body:
                sys.exit(f"save {i}: the page does not show the new title (status {status})")
            to_event.append((t1 - t0) * 1000)
            to_page.append((t2 - t0) * 1000)
            print(f"save {i:2}: event {to_event[-1]:6.1f} ms, page {to_page[-1]:6.1f} ms")
            time.sleep(0.3)
        print(f"save -> reload event: median {statistics.median(to_event):.1f} ms, worst {max(to_event):.1f} ms")
        print(f"save -> new page:     median {statistics.median(to_page):.1f} ms, worst {max(to_page):.1f} ms")
    finally:
        target.write_text(original)
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
