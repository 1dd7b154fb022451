/**
 * hyparquet-writer's byte writer, flushed into an open file descriptor: the file is written as it
 * grows (about 1 MiB at a time, and after every row group) instead of held whole in memory. The
 * package's own fileWriter reopens the file by name at every flush, which would follow a link planted
 * meanwhile; this one writes to the descriptor the caller opened (O_EXCL, O_NOFOLLOW).
 */
import { writeSync } from 'node:fs';
import { ByteWriter } from 'hyparquet-writer';

const FLUSH_BYTES = 1 << 20;

export class FdWriter extends ByteWriter {
  constructor(private readonly fd: number) {
    super(FLUSH_BYTES * 2);
  }

  override ensure(size: number): void {
    // The writer never patches bytes it has already written, so what is buffered can go at any time.
    if (this.index > FLUSH_BYTES) this.flush();
    super.ensure(size);
  }

  flush(): void {
    let done = 0;
    while (done < this.index) done += writeSync(this.fd, new Uint8Array(this.buffer, done, this.index - done));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }

  override getBuffer(): ArrayBuffer {
    throw new Error('FdWriter writes to a file; it keeps no buffer to return');
  }
}
