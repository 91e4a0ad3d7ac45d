/**
 * A small streaming reader of tar archives (POSIX ustar and GNU tar, as `tar czf` writes them):
 * 512-byte headers — name (bytes 0..99), size in octal (124..135), type flag (156), ustar
 * prefix (345..499) — each member's data padded to a multiple of 512 bytes, two zero blocks at
 * the end. GNU long names (type 'L') and pax headers (type 'x', `path=`) are honoured. Only
 * regular files that `want(name)` accepts are kept, each in one buffer of its own size, so a
 * 170 MB CIFAR archive never sits in memory twice. No DOM, no Node.
 */

const BLOCK = 512;

export interface TarMember {
  name: string;
  data: Uint8Array;
}

/** The archive ends in the middle of a member or header: truncated, or not a tar at all. */
export class TarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Damaged archive';
  }
}

const decoder = new TextDecoder();

function text(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return decoder.decode(end < 0 ? field : field.subarray(0, end));
}

function octal(block: Uint8Array, start: number, length: number): number {
  const s = text(block, start, length).trim();
  if (!/^[0-7]*$/.test(s)) throw new TarError('This is not a tar archive (a header is garbled).');
  return s === '' ? 0 : parseInt(s, 8);
}

/** The header's checksum: the sum of its bytes with the checksum field read as spaces. */
function checksumOk(block: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === octal(block, 148, 8);
}

export class TarReader {
  private header = new Uint8Array(BLOCK);
  private headerFill = 0;
  /** The member being read: its bytes left (data and padding) and where its data goes. */
  private remaining = 0;
  private padding = 0;
  private target: Uint8Array | null = null;
  private targetFill = 0;
  private name = '';
  private type = '';
  private longName: string | null = null;
  private meta: Uint8Array | null = null;
  private ended = false;
  readonly members: TarMember[] = [];

  constructor(private readonly want: (name: string) => boolean) {}

  /** Feeds the next bytes of the (uncompressed) archive. */
  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && !this.ended) {
      if (this.remaining > 0) {
        const dataLeft = this.remaining - this.padding;
        const n = Math.min(chunk.length - at, this.remaining);
        const dataN = Math.max(0, Math.min(n, dataLeft));
        const sink = this.target ?? this.meta;
        if (sink && dataN > 0) {
          sink.set(chunk.subarray(at, at + dataN), this.targetFill);
          this.targetFill += dataN;
        }
        this.remaining -= n;
        at += n;
        if (this.remaining === 0) this.finishMember();
        continue;
      }
      const n = Math.min(chunk.length - at, BLOCK - this.headerFill);
      this.header.set(chunk.subarray(at, at + n), this.headerFill);
      this.headerFill += n;
      at += n;
      if (this.headerFill === BLOCK) {
        this.headerFill = 0;
        this.startMember();
      }
    }
  }

  /** Says whether the archive ended where it should; throws TarError if it did not. */
  end(): TarMember[] {
    if (this.remaining > 0 || this.headerFill > 0) {
      throw new TarError(
        `The archive is truncated: it ends inside ${this.remaining > 0 ? this.name : 'a header'}.`,
      );
    }
    if (this.members.length === 0 && !this.ended && this.name === '') {
      throw new TarError('This is not a tar archive (it is empty).');
    }
    return this.members;
  }

  private startMember(): void {
    const block = this.header;
    if (block.every((b) => b === 0)) {
      this.ended = true; // the end-of-archive zero blocks
      return;
    }
    if (!checksumOk(block)) throw new TarError('This is not a tar archive (bad header checksum).');
    const size = octal(block, 124, 12);
    const type = String.fromCharCode(block[156]!);
    const magic = text(block, 257, 6);
    const prefix = magic.startsWith('ustar') ? text(block, 345, 155) : '';
    const plain = text(block, 0, 100);
    this.name = this.longName ?? (prefix ? `${prefix}/${plain}` : plain);
    this.longName = null;
    this.type = type;
    this.remaining = Math.ceil(size / BLOCK) * BLOCK;
    this.padding = this.remaining - size;
    this.targetFill = 0;
    this.target = null;
    this.meta = null;
    const regular = type === '0' || type === '\0' || type === '7';
    if (type === 'L' || type === 'x') this.meta = new Uint8Array(size);
    else if (regular && this.want(this.name)) this.target = new Uint8Array(size);
    if (this.remaining === 0) this.finishMember();
  }

  private finishMember(): void {
    if (this.target) this.members.push({ name: this.name, data: this.target });
    if (this.meta && this.type === 'L') this.longName = text(this.meta, 0, this.meta.length);
    if (this.meta && this.type === 'x') {
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(decoder.decode(this.meta));
      if (path) this.longName = path[1]!;
    }
    this.target = null;
    this.meta = null;
  }
}
