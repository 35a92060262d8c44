// A minimal writer of MaxMind DB (MMDB) files, after the public format specification
// (https://maxmind.github.io/MaxMind-DB/): a binary search tree over address bits, a 16-byte separator, a data
// section, and the metadata map after its marker. Tests make operator databases with it; npm has readers only.
import { isIP } from 'node:net';

/** A value of the MMDB data section: maps, arrays, UTF-8 strings, unsigned integers and booleans. */
export type MmdbValue = string | number | bigint | boolean | MmdbValue[] | { [key: string]: MmdbValue };

export interface MmdbNetwork {
  /** `a.b.c.d/n` or an IPv6 CIDR; an IPv4 network is stored in the IPv4 part of the tree, `::a.b.c.d/96+n`. */
  network: string;
  record: Record<string, MmdbValue>;
}

/** The bytes of an IPv6 tree (ip_version 6, 32-bit records) holding `networks`, which must not overlap. */
export function writeMmdb(networks: MmdbNetwork[], databaseType = 'Waypost-Test-Country'): Buffer {
  type Node = [Child, Child];
  type Child = Node | { data: number } | null;
  const root: Node = [null, null];
  const data = new DataSection();
  for (const { network, record } of networks) {
    const bits = networkBits(network);
    const leaf = { data: data.add(record) };
    let node = root;
    for (let depth = 0; depth < bits.length - 1; depth++) {
      const next = node[bits[depth]!];
      if (next !== null && !Array.isArray(next)) throw new Error(`${network} overlaps a network written before it`);
      node = next ?? (node[bits[depth]!] = [null, null]);
    }
    if (node[bits.at(-1)!] !== null) throw new Error(`${network} overlaps a network written before it`);
    node[bits.at(-1)!] = leaf;
  }

  const nodes: Node[] = [];
  const numbers = new Map<Node, number>();
  const visit = (node: Node) => {
    numbers.set(node, nodes.push(node) - 1);
    for (const child of node) if (Array.isArray(child)) visit(child);
  };
  visit(root);
  const nodeCount = nodes.length;
  // A record is a node number, nodeCount for "no data", or nodeCount + 16 + an offset into the data section.
  const recordOf = (child: Child) =>
    child === null ? nodeCount : Array.isArray(child) ? numbers.get(child)! : nodeCount + 16 + child.data;
  const tree = Buffer.alloc(nodeCount * 8);
  nodes.forEach((node, index) => {
    tree.writeUInt32BE(recordOf(node[0]), index * 8);
    tree.writeUInt32BE(recordOf(node[1]), index * 8 + 4);
  });

  const metadata = new DataSection();
  metadata.add({
    node_count: uint(nodeCount, 4),
    record_size: uint(32, 2),
    ip_version: uint(6, 2),
    database_type: databaseType,
    languages: ['en'],
    binary_format_major_version: uint(2, 2),
    binary_format_minor_version: uint(0, 2),
    build_epoch: BigInt(Math.floor(Date.now() / 1000)),
    description: { en: 'Written by the Waypost tests' },
  });
  return Buffer.concat([tree, Buffer.alloc(16), data.bytes(), Buffer.from('\xab\xcd\xefMaxMind.com', 'latin1'), metadata.bytes()]);
}

/** The address bits of a CIDR network, IPv4 ones under the 96 zero bits where an IPv6 tree keeps IPv4. */
function networkBits(network: string): number[] {
  const [address = '', prefixText = ''] = network.split('/');
  const version = isIP(address);
  const prefix = Number(prefixText);
  if (version === 0 || !/^\d{1,3}$/.test(prefixText) || prefix > (version === 4 ? 32 : 128) || prefix === 0) {
    throw new Error(`not a CIDR network: ${network}`);
  }
  const bytes = version === 4 ? [...Array<number>(12).fill(0), ...address.split('.').map(Number)] : ipv6Bytes(address);
  const bits = bytes.flatMap((byte) => Array.from({ length: 8 }, (_, i) => (byte >> (7 - i)) & 1));
  return bits.slice(0, (version === 4 ? 96 : 0) + prefix);
}

function ipv6Bytes(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const words = (part: string | undefined) => (part ? part.split(':').map((word) => parseInt(word, 16)) : []);
  const left = words(head);
  const right = words(tail);
  const all = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((word) => [word >> 8, word & 0xff]);
}

/** An unsigned integer that the writer stores as uint16 or uint32 (the metadata's field types), not as the default. */
class Uint {
  constructor(
    readonly value: number,
    readonly size: 2 | 4,
  ) {}
}
const uint = (value: number, size: 2 | 4) => new Uint(value, size) as unknown as MmdbValue;

/** Values written one after another, each starting with its control byte (type in the top 3 bits, then size). */
class DataSection {
  private readonly chunks: Buffer[] = [];
  private length = 0;

  /** Appends a value; resolves to its offset in the section. */
  add(value: MmdbValue): number {
    const offset = this.length;
    const bytes = encode(value);
    this.chunks.push(bytes);
    this.length += bytes.length;
    return offset;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function encode(value: MmdbValue | Uint): Buffer {
  if (value instanceof Uint) return withControl(value.size === 2 ? 5 : 6, minimalBytes(BigInt(value.value)));
  if (typeof value === 'string') return withControl(2, Buffer.from(value, 'utf8'));
  if (typeof value === 'boolean') return control(14, value ? 1 : 0);
  if (typeof value === 'bigint') return withControl(9, minimalBytes(value));
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new Error(`only uint32 numbers are written: ${value}`);
    return withControl(6, minimalBytes(BigInt(value)));
  }
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encode)]);
  const entries = Object.entries(value);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([key, item]) => [encode(key), encode(item)])]);
}

function minimalBytes(value: bigint): Buffer {
  const bytes: number[] = [];
  for (let rest = value; rest > 0n; rest >>= 8n) bytes.unshift(Number(rest & 0xffn));
  return Buffer.from(bytes);
}

function withControl(type: number, payload: Buffer): Buffer {
  return Buffer.concat([control(type, payload.length), payload]);
}

/** The control byte of a type and size: types above 7 are "extended" (0 there, type - 7 in the next byte). */
function control(type: number, size: number): Buffer {
  const extended = type > 7 ? [type - 7] : [];
  const first = (type > 7 ? 0 : type) << 5;
  if (size < 29) return Buffer.from([first | size, ...extended]);
  if (size < 285) return Buffer.from([first | 29, ...extended, size - 29]);
  if (size < 65_821) return Buffer.from([first | 30, ...extended, (size - 285) >> 8, (size - 285) & 0xff]);
  const rest = size - 65_821;
  return Buffer.from([first | 31, ...extended, rest >> 16, (rest >> 8) & 0xff, rest & 0xff]);
}
