"""A `wasi:cli/command` in Python (built by componentize-py): `argv[1]`
selects what it does, like the C `wasi-probe`. Python's standard library
reaches WASI through wasi-libc: print and sys.stdin are the cli streams,
os.environ the environment, open/os the filesystem beneath the preopens,
and the socket module wasi:sockets (through wasi-libc's BSD sockets).
"""

# socket.getaddrinfo encodes a str name with the "idna" codec, which the
# encodings package imports on first use. At run time that import finds
# nothing ("unknown encoding: idna"): componentize-py keeps only the modules
# loaded while it pre-initializes the component, so import it here.
import encodings.idna  # noqa: F401
import os
import socket
import sys

from wit_world import exports


def files(dir: str) -> None:
    """File operations beneath the preopened directory `dir`."""
    with open(f"{dir}/input.txt") as f:
        print(f"input.txt: {f.read()!r}")
    with open(f"{dir}/made.txt", "w") as f:
        f.write("made by python\n")
    os.mkdir(f"{dir}/sub")
    os.rename(f"{dir}/made.txt", f"{dir}/sub/moved.txt")
    print(f"listing: {sorted(os.listdir(dir))}")
    print(f"sub: {sorted(os.listdir(f'{dir}/sub'))}")
    print(f"size of sub/moved.txt: {os.stat(f'{dir}/sub/moved.txt').st_size}")
    os.remove(f"{dir}/input.txt")
    try:
        open(f"{dir}/input.txt")
    except FileNotFoundError:
        print("input.txt: removed")
    try:
        open(f"{dir}/../escape.txt", "w")
    except PermissionError as e:
        print(f"../escape.txt: PermissionError errno {e.errno}")


def refused(step: str, e: OSError) -> None:
    """Prints how `step` failed: the exception's class, errno and message."""
    print(f"{step}: {type(e).__name__} errno {e.errno}: {e.strerror}")


def read_line(s: socket.socket) -> bytes:
    """What `s` receives up to and including a newline, or to its end."""
    line = b""
    while not line.endswith(b"\n"):
        chunk = s.recv(1024)
        if not chunk:
            break
        line += chunk
    return line


def tcp_client(port: int) -> None:
    """Connects to 127.0.0.1:`port`, sends a line, prints the reply and
    what follows it (the end of the stream)."""
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except OSError as e:
        refused("socket", e)
        return
    with s:
        try:
            s.connect(("127.0.0.1", port))
        except OSError as e:
            refused("connect", e)
            return
        print(f"connected from {s.getsockname()} to {s.getpeername()}")
        s.sendall(b"ping from python\n")
        print(f"reply: {read_line(s)!r}")
        print(f"then: {s.recv(1024)!r}")


def tcp_server() -> None:
    """Listens on 127.0.0.1 (a port the system picks, printed at once),
    accepts one connection, and answers its line."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", 0))
        except OSError as e:
            refused("bind", e)
            return
        s.listen(1)
        print(f"listening on port {s.getsockname()[1]}", flush=True)
        conn, peer = s.accept()
        with conn:
            print(f"accepted {peer}")
            line = read_line(conn)
            print(f"received {line!r}")
            conn.sendall(b"echo: " + line)


def udp_echo(port: int) -> None:
    """Binds a UDP socket to 127.0.0.1, sends a datagram to 127.0.0.1:`port`
    and prints the answer."""
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    except OSError as e:
        refused("socket", e)
        return
    with s:
        try:
            s.bind(("127.0.0.1", 0))
        except OSError as e:
            refused("bind", e)
            return
        print(f"bound to {s.getsockname()}")
        try:
            s.sendto(b"datagram from python", ("127.0.0.1", port))
        except OSError as e:
            refused("sendto", e)
            return
        data, peer = s.recvfrom(1024)
        print(f"received {data!r} from {peer}")


def lookup(name: str) -> None:
    """Prints the addresses `name` resolves to, one a line, sorted."""
    try:
        infos = socket.getaddrinfo(name, 80, type=socket.SOCK_STREAM)
    except OSError as e:
        refused("getaddrinfo", e)
        return
    for address in sorted({info[4][0] for info in infos}):
        print(address)


class Run(exports.Run):
    def run(self) -> None:
        case = sys.argv[1] if len(sys.argv) > 1 else "hello"
        if case == "hello":
            print("hello from python on stdout")
            print("hello from python on stderr", file=sys.stderr)
        elif case == "args":
            print(f"argv: {sys.argv}")
            for key in sorted(os.environ):
                print(f"{key}={os.environ[key]}")
        elif case == "stdin":
            text = sys.stdin.read()
            print(text.upper(), end="")
            print(f"read {len(text)} characters", file=sys.stderr)
        elif case == "files":
            files(sys.argv[2])
        elif case == "exit":
            print(f"exiting with {sys.argv[2]}", flush=True)
            sys.exit(int(sys.argv[2]))
        elif case == "raise":
            raise RuntimeError("raised on purpose")
        elif case == "tcp-client":
            tcp_client(int(sys.argv[2]))
        elif case == "tcp-server":
            tcp_server()
        elif case == "udp-echo":
            udp_echo(int(sys.argv[2]))
        elif case == "lookup":
            lookup(sys.argv[2])
        else:
            print(f"unknown case {case!r}", file=sys.stderr)
            sys.exit(2)
