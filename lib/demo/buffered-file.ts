import { closeSync, openSync, writeSync } from "node:fs";

/** Appends bytes through one reused buffer (8 MiB) to a file: gigabytes of JSON without building strings. */
export class BufferedFile {
  private fd: number;
  private buf = Buffer.allocUnsafeSlow(8 << 20);
  private used = 0;
  bytes = 0;
  constructor(path: string) {
    this.fd = openSync(path, "w");
  }
  /** `src[start, end)`. */
  copy(src: Buffer, start = 0, end = src.length): void {
    const n = end - start;
    if (this.used + n > this.buf.length) this.flush();
    if (n > this.buf.length) {
      let at = start;
      while (at < end) at += writeSync(this.fd, src, at, end - at);
      this.bytes += n;
      return;
    }
    src.copy(this.buf, this.used, start, end);
    this.used += n;
  }
  text(s: string): void {
    this.copy(Buffer.from(s));
  }
  write(s: string | Buffer): void {
    if (typeof s === "string") this.text(s);
    else this.copy(s);
  }
  private flush(): void {
    let at = 0;
    while (at < this.used) at += writeSync(this.fd, this.buf, at, this.used - at);
    this.bytes += this.used;
    this.used = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
