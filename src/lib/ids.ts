import { V7Generator } from 'uuidv7';

/**
 * Draws the random bits of ids from the operating system's CSPRNG in blocks of 4 KiB rather
 * than the library's 32 bytes: an invite write takes a dozen ids, and each draw is a call into
 * the crypto module. The bits are as random; only fewer calls fetch them.
 */
class BlockRandom {
  private readonly block = new Uint32Array(1024);
  private next = this.block.length;

  nextUint32(): number {
    if (this.next >= this.block.length) {
      crypto.getRandomValues(this.block);
      this.next = 0;
    }
    return this.block[this.next++] as number;
  }
}

const generator = new V7Generator(new BlockRandom());

export const newId = (): string => generator.generate().toString();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lower-cases a UUID from a path, or returns null when it is not one. */
export function parseUuid(value: unknown): string | null {
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : null;
}
