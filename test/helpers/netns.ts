// Two test hosts joined by a cable we can cut: network namespaces A and B, a veth pair
// between them with addresses on a private /30, and iptables rules in A that drop every
// packet to and from B (no FIN, no RST: the silence of a dead link). Needs root (or
// CAP_NET_ADMIN) and iproute2; iptables is installed from Debian on first use when missing.
//
// Namespace names carry our pid, so a sweep at start-up removes what a crashed earlier run
// left behind without touching a run still going.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const PREFIX = "omqsn";
/** Root's tools live in sbin, which a test runner's PATH may lack. */
const env = { ...process.env, PATH: `${process.env.PATH ?? ""}:/usr/sbin:/sbin`, DEBIAN_FRONTEND: "noninteractive" };

async function run(command: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(command, args, { env, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

function errorText(error: unknown): string {
  const { stderr, message } = error as { stderr?: string; message?: string };
  return (stderr || message || String(error)).trim().split("\n").slice(-2).join(" / ");
}

let iptables: Promise<void> | undefined;
/** Installs iptables with apt-get unless it is there; once per process, quietly. */
export function ensureIptables(): Promise<void> {
  iptables ??= (async () => {
    if (await run("iptables", "--version").then(() => true, () => false)) return;
    const install = () => run("apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=120", "--no-install-recommends", "iptables");
    // An image whose package lists were cleaned needs an update first.
    await install().catch(async () => {
      await run("apt-get", "update", "-q");
      await install();
    });
    console.log("# installed iptables from Debian for the silent-network test");
  })();
  return iptables;
}

let counter = 0;

/** The iptables that works in a namespace here: the nf_tables one, or the legacy one on kernels without nf_tables. */
let iptablesCommand = "iptables";

/** Why this machine cannot run namespace tests (false when it can); installs iptables on the way. */
export async function netnsUnavailable(): Promise<string | false> {
  if (process.platform !== "linux") return "network namespaces are Linux only";
  const probe = `${PREFIX}-${process.pid}-probe${counter++}`;
  try {
    await run("ip", "netns", "add", probe);
  } catch (error) {
    return `cannot create a network namespace (needs root or CAP_NET_ADMIN, and iproute2): ${errorText(error)}`;
  }
  try {
    await ensureIptables();
    for (const command of ["iptables", "iptables-legacy"]) {
      const works = await run("ip", "netns", "exec", probe, command, "-A", "INPUT", "-s", "192.0.2.1", "-j", "DROP").then(() => true, () => false);
      if (!works) continue;
      iptablesCommand = command;
      return false;
    }
    return "iptables cannot add a rule in a network namespace (no netfilter in this kernel?)";
  } catch (error) {
    return `iptables is missing and could not be installed: ${errorText(error)}`;
  } finally {
    await run("ip", "netns", "del", probe).catch(() => undefined);
  }
}

/** Deletes namespaces of ours whose run (the pid in their name) is gone. */
export async function sweepStaleNamespaces(): Promise<void> {
  const names = (await run("ip", "netns", "list")).split("\n").map((line) => line.split(" ")[0]!);
  for (const name of names) {
    const match = new RegExp(`^${PREFIX}-(\\d+)-`).exec(name);
    if (match === null || alive(Number(match[1]))) continue;
    await run("ip", "netns", "del", name).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

export interface Host {
  namespace: string;
  address: string;
  /** Prefix for a command to run inside this host: `[...host.exec, "node", ...]`. */
  exec: string[];
}

export class HostPair {
  readonly a: Host;
  readonly b: Host;
  #cut = false;

  private constructor(id: string) {
    this.a = host(`${PREFIX}-${id}-a`, "10.200.0.1");
    this.b = host(`${PREFIX}-${id}-b`, "10.200.0.2");
  }

  /** Makes A and B, linked by a veth pair (each end created inside its namespace, so no name can clash). */
  static async create(): Promise<HostPair> {
    const pair = new HostPair(`${process.pid}-${counter++}`);
    try {
      for (const { namespace } of [pair.a, pair.b]) await run("ip", "netns", "add", namespace);
      await run("ip", "link", "add", "veth0", "netns", pair.a.namespace, "type", "veth", "peer", "name", "veth0", "netns", pair.b.namespace);
      for (const { namespace, address } of [pair.a, pair.b]) {
        await run("ip", "-n", namespace, "addr", "add", `${address}/30`, "dev", "veth0");
        await run("ip", "-n", namespace, "link", "set", "veth0", "up");
        await run("ip", "-n", namespace, "link", "set", "lo", "up");
      }
    } catch (error) {
      await pair.destroy();
      throw error;
    }
    return pair;
  }

  /** Cuts the link silently: A drops every packet from and to B. */
  async cut(): Promise<void> {
    await this.#rules("-I");
    this.#cut = true;
  }

  /** Puts the link back. */
  async restore(): Promise<void> {
    if (!this.#cut) return;
    await this.#rules("-D");
    this.#cut = false;
  }

  /** Deletes both namespaces (and with them the veth pair); safe to call more than once. */
  async destroy(): Promise<void> {
    for (const { namespace } of [this.a, this.b]) await run("ip", "netns", "del", namespace).catch(() => undefined);
  }

  async #rules(action: "-I" | "-D"): Promise<void> {
    await run("ip", "netns", "exec", this.a.namespace, iptablesCommand, action, "INPUT", "-s", this.b.address, "-j", "DROP");
    await run("ip", "netns", "exec", this.a.namespace, iptablesCommand, action, "OUTPUT", "-d", this.b.address, "-j", "DROP");
  }
}

/** iproute2's `ip` by its path, for spawns whose PATH may lack sbin. */
const IP = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].find((path) => existsSync(path)) ?? "ip";

function host(namespace: string, address: string): Host {
  return { namespace, address, exec: [IP, "netns", "exec", namespace] };
}
