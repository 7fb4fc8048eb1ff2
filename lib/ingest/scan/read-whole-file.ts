import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/**
 * Reads whole files into one reused buffer. Step files are tens of MB; a fresh Buffer per
 * file leaves the freeing to the garbage collector and RSS climbs, one grown buffer does not.
 * The returned view is valid until the next read.
 */
export class WholeFileReader {
  private buf = Buffer.allocUnsafeSlow(0);

  read(path: string): Buffer {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      // Grown to the next MiB: step files of a run are about the same size.
      if (size > this.buf.length) this.buf = Buffer.allocUnsafeSlow(Math.ceil((size + 1) / 2 ** 20) * 2 ** 20);
      let off = 0;
      while (off < size) {
        const n = readSync(fd, this.buf, off, size - off, off);
        if (n === 0) break;
        off += n;
      }
      return this.buf.subarray(0, off);
    } finally {
      closeSync(fd);
    }
  }
}
