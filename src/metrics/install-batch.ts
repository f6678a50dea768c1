// Installs on their way to whoever counts them, in the order they happened. The cluster engine installs
// about 4.4 million versions per simulated hour; handing each to a callback passed its time and version keys
// (integers beyond 2^31) as boxed numbers, about 300 MB of garbage per hour. Here an install is five writes
// into typed arrays, and the sink sees the same calls, in the same order, a batch at a time.

/** Takes installs one by one (RunMetrics.recordInstall has this shape). */
export type InstallSink = (installUs: number, edgeServerIndex: number, fileId: number, versionKey: number, previousKey: number) => void;

const DEFAULT_CAPACITY = 4096;

export class InstallBatch {
  private readonly installUs: Float64Array;
  private readonly edgeServerIndex: Int32Array;
  private readonly fileId: Int32Array;
  private readonly versionKey: Float64Array;
  private readonly previousKey: Float64Array;
  private count = 0;

  constructor(
    private readonly sink: InstallSink,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`an install batch needs a capacity of at least 1, got ${capacity}`);
    this.installUs = new Float64Array(capacity);
    this.edgeServerIndex = new Int32Array(capacity);
    this.fileId = new Int32Array(capacity);
    this.versionKey = new Float64Array(capacity);
    this.previousKey = new Float64Array(capacity);
  }

  /** Hot path: small enough to be inlined where it is called, so its arguments are never boxed. */
  add(installUs: number, edgeServerIndex: number, fileId: number, versionKey: number, previousKey: number): void {
    const k = this.count;
    this.installUs[k] = installUs;
    this.edgeServerIndex[k] = edgeServerIndex;
    this.fileId[k] = fileId;
    this.versionKey[k] = versionKey;
    this.previousKey[k] = previousKey;
    this.count = k + 1;
    if (k + 1 === this.capacity) this.flush();
  }

  /** Hands every install held to the sink, oldest first. */
  flush(): void {
    const count = this.count;
    // Emptied first: a sink that reads what it has recorded (and so flushes) finds nothing left to hand over twice.
    this.count = 0;
    for (let k = 0; k < count; k++) {
      this.sink(this.installUs[k] as number, this.edgeServerIndex[k] as number, this.fileId[k] as number, this.versionKey[k] as number, this.previousKey[k] as number);
    }
  }
}
