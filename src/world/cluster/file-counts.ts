// A count per file that is zero for all but a few files at any time (a cluster cache's fetches whose answer is not
// known: a handful while versions are being fetched). A short list scanned in place of a table of every file, which
// was 4 KB per cluster at 2,000 files (450 MB at 1,000,000 servers) for a few non-zero entries. Hot path: asked for
// every changed file of a poll that runs ahead while a fetch is unknown.
import { grownInt32 } from '../../kernel/typed-arrays.js';

export class FileCounts {
  private fileIds = new Int32Array(4);
  private counts = new Int32Array(4);
  /** Files with a non-zero count: [0, used). */
  private used = 0;

  of(fileId: number): number {
    const fileIds = this.fileIds;
    for (let k = 0; k < this.used; k++) if (fileIds[k] === fileId) return this.counts[k] as number;
    return 0;
  }

  /** Adds step (+1 or -1) to fileId's count, which must not go below zero. */
  add(fileId: number, step: number): void {
    const fileIds = this.fileIds;
    let k = 0;
    while (k < this.used && fileIds[k] !== fileId) k++;
    const count = (k < this.used ? (this.counts[k] as number) : 0) + step;
    if (count < 0) throw new RangeError(`file ${fileId}'s count would go below zero`);
    if (k === this.used) {
      if (count === 0) return;
      if (this.used === fileIds.length) {
        this.fileIds = grownInt32(fileIds, 2 * this.used);
        this.counts = grownInt32(this.counts, 2 * this.used);
      }
      this.fileIds[k] = fileId;
      this.used++;
    }
    if (count > 0) {
      this.counts[k] = count;
      return;
    }
    // The last entry takes the place of the one that fell to zero (the order of the list does not matter).
    this.used--;
    this.fileIds[k] = this.fileIds[this.used] as number;
    this.counts[k] = this.counts[this.used] as number;
  }

  clear(): void {
    this.used = 0;
  }
}
