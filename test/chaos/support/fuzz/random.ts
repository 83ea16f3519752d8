/** A small seeded generator (mulberry32), so a failing fuzz run can be replayed with CHAOS_SEED. */
export class Random {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(0, 255)));
  }

  /** Printable, control, quote, unicode and surrogate-ish characters mixed. */
  text(n: number): string {
    const alphabet = [
      'a',
      'Z',
      '0',
      ' ',
      '"',
      "'",
      '\\',
      '/',
      '{',
      '}',
      '[',
      ']',
      '\u0000',
      '\u001f',
      '\u007f',
      'é',
      '漢',
      '😀',
      '\ud800',
      '%',
      '&',
      '?',
      '#',
      '\n',
      '\r',
    ];
    return Array.from({ length: n }, () => this.pick(alphabet)).join('');
  }
}

/** Percent-encodes every UTF-8 byte (a lone surrogate becomes U+FFFD first), never throwing. */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`)
    .join('');
}
