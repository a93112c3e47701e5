import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseEndpoint, type EndpointRole } from "../../../src/transports/endpoint";

function fails(address: string, role: EndpointRole, code: string): void {
  assert.throws(
    () => parseEndpoint(address, role),
    (error: unknown) => {
      const e = error as { code: string; errno: number; address: string };
      assert.equal(e.code, code, address);
      assert.equal(e.address, address);
      assert.ok(e.errno > 0, `errno for ${code}`);
      return true;
    },
  );
}

describe("tcp endpoints", () => {
  test("host and port", () => {
    assert.deepEqual(parseEndpoint("tcp://127.0.0.1:5555", "connect"), {
      protocol: "tcp",
      address: "tcp://127.0.0.1:5555",
      host: "127.0.0.1",
      port: 5555,
    });
  });

  test("wildcards on bind: '*' host, '*' or '0' port", () => {
    assert.deepEqual(parseEndpoint("tcp://*:*", "bind"), { protocol: "tcp", address: "tcp://*:*", host: "*", port: 0 });
    assert.equal((parseEndpoint("tcp://*:5555", "bind") as { port: number }).port, 5555);
    assert.equal((parseEndpoint("tcp://127.0.0.1:*", "bind") as { port: number }).port, 0);
    assert.equal((parseEndpoint("tcp://127.0.0.1:0", "bind") as { port: number }).port, 0);
  });

  test("IPv6 literals, with brackets or (as libzmq allows) without", () => {
    assert.equal((parseEndpoint("tcp://[::1]:5555", "connect") as { host: string }).host, "::1");
    assert.equal((parseEndpoint("tcp://::1:5555", "connect") as { host: string }).host, "::1");
    assert.equal((parseEndpoint("tcp://[fe80::1%eth0]:5555", "bind") as { host: string }).host, "fe80::1%eth0");
    assert.equal((parseEndpoint("tcp://[127.0.0.1]:5555", "bind") as { host: string }).host, "127.0.0.1");
  });

  test("host and interface names", () => {
    assert.equal((parseEndpoint("tcp://localhost:5555", "connect") as { host: string }).host, "localhost");
    assert.equal((parseEndpoint("tcp://my-host.example_1.com:1", "connect") as { host: string }).host, "my-host.example_1.com");
    assert.equal((parseEndpoint("tcp://eth0:*", "bind") as { host: string }).host, "eth0");
  });

  test("source address on connect: tcp://src-host:src-port;host:port", () => {
    assert.deepEqual(parseEndpoint("tcp://127.0.0.2:0;127.0.0.1:5555", "connect"), {
      protocol: "tcp",
      address: "tcp://127.0.0.2:0;127.0.0.1:5555",
      host: "127.0.0.1",
      port: 5555,
      source: { host: "127.0.0.2", port: 0 },
    });
    assert.deepEqual((parseEndpoint("tcp://*:*;[::1]:1", "connect") as { source: unknown }).source, { host: "*", port: 0 });
  });

  test("port bounds", () => {
    assert.equal((parseEndpoint("tcp://127.0.0.1:65535", "connect") as { port: number }).port, 65535);
    assert.equal((parseEndpoint("tcp://127.0.0.1:1", "connect") as { port: number }).port, 1);
    for (const port of ["65536", "70000", "-1", "abc", "12ab", "+5", " 5", "", "123456"]) {
      fails(`tcp://127.0.0.1:${port}`, "bind", "EINVAL");
    }
  });

  test("wildcards are EINVAL on connect", () => {
    fails("tcp://127.0.0.1:*", "connect", "EINVAL");
    fails("tcp://*:5555", "connect", "EINVAL");
    fails("tcp://*:*", "connect", "EINVAL");
  });

  test("malformed tcp endpoints are EINVAL", () => {
    for (const address of [
      "tcp://127.0.0.1", // no port
      "tcp://:5555", // no host
      "tcp://[::1:5555", // unclosed bracket
      "tcp://[nonsense]:5555",
      "tcp://1::2::3:5555", // not an IPv6 address
      "tcp://host name:5555",
      "tcp://127.0.0.1:5555/path",
      "tcp://;127.0.0.1:5555",
      "tcp://127.0.0.1:5555;",
    ]) {
      fails(address, "connect", "EINVAL");
    }
  });

  test("a source address on bind is EINVAL", () => {
    fails("tcp://127.0.0.1:0;127.0.0.1:5555", "bind", "EINVAL");
  });
});

describe("scheme", () => {
  test("missing '://' or an empty part is EINVAL", () => {
    for (const address of ["", "nonsense", "tcp:/127.0.0.1:5555", "tcp:127.0.0.1:5555", "tcp://", "://x", "ipc://", "inproc://"]) {
      fails(address, "bind", "EINVAL");
      fails(address, "connect", "EINVAL");
    }
  });

  test("unknown or unsupported transports are EPROTONOSUPPORT", () => {
    for (const address of ["udp://127.0.0.1:5555", "pgm://eth0;239.192.1.1:5555", "epgm://x", "norm://x", "tipc://x", "vmci://1:2", "foo://x", "TCP://127.0.0.1:5555"]) {
      fails(address, "bind", "EPROTONOSUPPORT");
      fails(address, "connect", "EPROTONOSUPPORT");
    }
  });
});

describe("ipc endpoints", () => {
  test("absolute and relative paths", () => {
    assert.deepEqual(parseEndpoint("ipc:///tmp/x.sock", "bind"), { protocol: "ipc", address: "ipc:///tmp/x.sock", path: "/tmp/x.sock", abstract: false });
    assert.deepEqual(parseEndpoint("ipc://run/x.sock", "connect"), { protocol: "ipc", address: "ipc://run/x.sock", path: "run/x.sock", abstract: false });
  });

  test("'@name' is the abstract namespace; '@' alone is EINVAL", () => {
    assert.deepEqual(parseEndpoint("ipc://@omq", "bind"), { protocol: "ipc", address: "ipc://@omq", path: "omq", abstract: true });
    fails("ipc://@", "bind", "EINVAL");
    fails("ipc://@", "connect", "EINVAL");
  });

  test("'*' asks bind for a fresh path", () => {
    assert.deepEqual(parseEndpoint("ipc://*", "bind"), { protocol: "ipc", address: "ipc://*", path: "*", abstract: false });
  });

  test("paths longer than 107 bytes are ENAMETOOLONG", () => {
    const longest = "/tmp/" + "a".repeat(102);
    assert.equal((parseEndpoint(`ipc://${longest}`, "bind") as { path: string }).path, longest);
    fails(`ipc://${longest}a`, "bind", "ENAMETOOLONG");
    fails(`ipc://${longest}a`, "connect", "ENAMETOOLONG");
    // Bytes, not characters: 'é' takes two.
    parseEndpoint(`ipc://${"é".repeat(53)}a`, "bind");
    fails(`ipc://${"é".repeat(54)}`, "bind", "ENAMETOOLONG");
    // The '@' counts, standing for the leading NUL.
    parseEndpoint(`ipc://@${"a".repeat(106)}`, "bind");
    fails(`ipc://@${"a".repeat(107)}`, "bind", "ENAMETOOLONG");
  });
});

describe("inproc and ws endpoints", () => {
  test("inproc names", () => {
    assert.deepEqual(parseEndpoint("inproc://a/b:c", "bind"), { protocol: "inproc", address: "inproc://a/b:c", name: "a/b:c" });
  });

  test("ws and wss with and without a path", () => {
    assert.deepEqual(parseEndpoint("ws://127.0.0.1:8080/zmq", "connect"), {
      protocol: "ws",
      address: "ws://127.0.0.1:8080/zmq",
      host: "127.0.0.1",
      port: 8080,
      path: "/zmq",
    });
    assert.deepEqual(parseEndpoint("wss://[::1]:*", "bind"), { protocol: "wss", address: "wss://[::1]:*", host: "::1", port: 0, path: "/" });
    fails("ws://127.0.0.1:*/zmq", "connect", "EINVAL");
    fails("ws://127.0.0.1/zmq", "connect", "EINVAL");
  });
});
