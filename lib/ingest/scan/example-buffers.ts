/**
 * Buffers for raw example bytes and prompt keys, recycled per thread. A step's example bytes are transferred
 * from a scan worker to the main thread and, once its epoch is written, sent back to be
 * reused: a fresh multi-MB buffer per step file cost more in page faults than the whole scan
 * (~4 s per LIMR-size run on this VM).
 */
const free: ArrayBuffer[] = [];
/** Two buffers a step (its example bytes and its prompt keys), a couple of steps in flight. */
const MAX_FREE = 4;
/** Buffers made here or handed back: each is its own ArrayBuffer, transferable whatever the length of its view. */
const ours = new WeakSet<ArrayBuffer>();

export function isRecyclable(b: ArrayBufferLike): boolean {
  return ours.has(b as ArrayBuffer);
}

/** A buffer of exactly `size` bytes whose ArrayBuffer is its own (byteOffset 0), so it can be transferred. */
export function takeExampleBuffer(size: number): Buffer {
  let best = -1;
  for (let i = 0; i < free.length; i++) {
    if (free[i].byteLength >= size && (best < 0 || free[i].byteLength < free[best].byteLength)) best = i;
  }
  const ab = best >= 0 ? free.splice(best, 1)[0] : Buffer.allocUnsafeSlow(Math.ceil(size * 1.25)).buffer;
  ours.add(ab);
  return Buffer.from(ab, 0, size);
}

export function recycleExampleBuffers(buffers: readonly ArrayBuffer[]): void {
  for (const b of buffers) {
    if (b.byteLength > 0 && free.length < MAX_FREE) {
      ours.add(b);
      free.push(b);
    }
  }
}
