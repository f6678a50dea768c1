// What a run measures: submissions and their acceptance, and every (accepted version, receiver)
// delivery with its propagation time, as streaming aggregates plus rows for a sample of receivers.
import { LatencyHistogram, SIZE_BUCKET_COUNT, sizeBucketOf } from '../metrics/index.js';
import { InstallBatch } from '../metrics/install-batch.js';
import { grownFloat64, grownInt32 } from '../kernel/typed-arrays.js';

export interface VersionRecord {
  readonly versionKey: number;
  readonly fileId: number;
  readonly sizeBytes: number;
  readonly acceptUs: number;
  /** Dense index in order of acceptance (rows of propagation.csv refer to it). */
  readonly index: number;
  readonly sizeBucket: number;
  /** Receivers that have this version or a newer one (as of the last read through RunMetrics). */
  deliveries: number;
}

export const WITHIN_180_S_US = 180_000_000;

export class RunMetrics {
  private readonly versionList: VersionRecord[] = [];
  private readonly versionByKey = new Map<number, VersionRecord>();
  // What an install reads of the accepted versions, by their dense index, struct-of-arrays: an install walks a file's
  // versions newest first, and reads no object. Hot path (about 4.4 million installs per simulated hour).
  private versionKeyOf = new Float64Array(1024);
  private acceptUsOf = new Float64Array(1024);
  private sizeBucketOfVersion = new Int32Array(1024);
  /** Each version's deliveries, copied into its VersionRecord when the record is read. */
  private deliveryCount = new Float64Array(1024);
  /** The accepted version of the same file before it (a lower version key), or -1. */
  private previousOfFile = new Int32Array(1024);
  /** Per file: its newest accepted version, or -1. */
  private newestOfFile = new Int32Array(0);

  private readonly histogramBySize: LatencyHistogram[] = [];
  private unmatched = 0;
  private beforeAcceptance = 0;
  /**
   * Installs not yet recorded (the cluster engine's, written without a call per install): recorded in order, by
   * recordInstall, before anything here is read and before a version is accepted, so every figure is what recording
   * each install at once would give.
   */
  readonly installs = new InstallBatch((installUs, edge, fileId, versionKey, previousKey) => this.recordInstall(installUs, edge, fileId, versionKey, previousKey));

  // propagation.csv rows for the sampled receivers, struct-of-arrays.
  private sampleRowCount = 0;
  private sampleEdgeServer = new Int32Array(1 << 16);
  private sampleVersion = new Int32Array(1 << 16);
  private sampleDeliverUs = new Float64Array(1 << 16);

  constructor(
    /** sampled[k] !== 0 for the edge servers whose deliveries are written row by row. */
    readonly sampled: Uint8Array,
  ) {
    for (let b = 0; b < SIZE_BUCKET_COUNT; b++) this.histogramBySize.push(new LatencyHistogram({ thresholdsUs: [WITHIN_180_S_US] }));
  }

  /**
   * Versions agreed after a newer version of the same file was already agreed (a publisher's retry whose first
   * attempt got through late). They are not propagation pairs (ACMS promises the latest version, and a newer one
   * was accepted first), and are counted here. An SP that has not yet learned of the newer version still shows
   * such a version, and Receivers it serves may install it: those installs are counted in supersededInstalls,
   * not as unmatched (found by acmsim fuzz: scenarios/regressions/superseded-version-installed.yaml).
   */
  supersededOnAgreement = 0;
  private superseded = 0;
  private readonly supersededKeys = new Set<number>();

  /** Records an agreed version; returns undefined when it is already superseded (see supersededOnAgreement). */
  recordAccepted(acceptUs: number, versionKey: number, fileId: number, sizeBytes: number): VersionRecord | undefined {
    this.installs.flush();
    const existing = this.versionByKey.get(versionKey);
    if (existing !== undefined) return this.synced(existing);
    const newest = this.newestVersionOf(fileId);
    if (newest >= 0 && (this.versionKeyOf[newest] as number) > versionKey) {
      if (!this.supersededKeys.has(versionKey)) {
        this.supersededKeys.add(versionKey);
        this.supersededOnAgreement++;
      }
      return undefined;
    }
    const record: VersionRecord = {
      versionKey, fileId, sizeBytes, acceptUs, index: this.versionList.length, sizeBucket: sizeBucketOf(sizeBytes), deliveries: 0,
    };
    this.versionList.push(record);
    this.versionByKey.set(versionKey, record);
    const v = record.index;
    if (v === this.versionKeyOf.length) {
      const capacity = 2 * v;
      this.versionKeyOf = grownFloat64(this.versionKeyOf, capacity);
      this.acceptUsOf = grownFloat64(this.acceptUsOf, capacity);
      this.sizeBucketOfVersion = grownInt32(this.sizeBucketOfVersion, capacity);
      this.deliveryCount = grownFloat64(this.deliveryCount, capacity);
      this.previousOfFile = grownInt32(this.previousOfFile, capacity);
    }
    if (fileId >= this.newestOfFile.length) this.newestOfFile = grownInt32(this.newestOfFile, Math.max(fileId + 1, 2 * this.newestOfFile.length), -1);
    this.versionKeyOf[v] = versionKey;
    this.acceptUsOf[v] = acceptUs;
    this.sizeBucketOfVersion[v] = record.sizeBucket;
    this.previousOfFile[v] = this.newestOfFile[fileId] as number;
    this.newestOfFile[fileId] = v;
    return record;
  }

  /** The newest accepted version of fileId (its dense index), or -1. */
  private newestVersionOf(fileId: number): number {
    return fileId < this.newestOfFile.length ? (this.newestOfFile[fileId] as number) : -1;
  }

  /** The record with its deliveries brought up to date (they are counted in deliveryCount). */
  private synced(record: VersionRecord): VersionRecord {
    record.deliveries = this.deliveryCount[record.index] as number;
    return record;
  }

  /**
   * Every delivery, whatever its size: the size buckets merged (exact: same buckets, integer sums). Built
   * when asked, so the hot path records each delivery into one histogram, not two.
   */
  get propagation(): LatencyHistogram {
    const all = new LatencyHistogram({ thresholdsUs: [WITHIN_180_S_US] });
    for (const histogram of this.propagationBySize) all.merge(histogram);
    return all;
  }

  /** Accepted versions in order of acceptance, each with its deliveries so far. */
  get versions(): readonly VersionRecord[] {
    this.installs.flush();
    for (const record of this.versionList) this.synced(record);
    return this.versionList;
  }

  /** One histogram per size bucket; every delivery is recorded once, in its bucket's. */
  get propagationBySize(): readonly LatencyHistogram[] {
    this.installs.flush();
    return this.histogramBySize;
  }

  /** Installs of a version that was never (or not yet) accepted: not part of the propagation figures. */
  get unmatchedInstalls(): number {
    this.installs.flush();
    return this.unmatched;
  }

  /** Deliveries that completed before the accepting SP recorded acceptance (clamped to zero latency). */
  get deliveriesBeforeAcceptance(): number {
    this.installs.flush();
    return this.beforeAcceptance;
  }

  /** Installs of a version superseded on agreement (see supersededOnAgreement). */
  get supersededInstalls(): number {
    this.installs.flush();
    return this.superseded;
  }

  versionOf(versionKey: number): VersionRecord | undefined {
    this.installs.flush();
    const record = this.versionByKey.get(versionKey);
    return record === undefined ? undefined : this.synced(record);
  }

  /**
   * A receiver installed versionKey of fileId, replacing previousKey. It now has every accepted version
   * of the file in (previousKey, versionKey]: the ones in between were superseded before it polled, and
   * count as delivered now, as ACMS promises the latest version, not every version. Hot path.
   */
  recordInstall(installUs: number, edgeServerIndex: number, fileId: number, versionKey: number, previousKey: number): void {
    let v = this.newestVersionOf(fileId);
    if (v < 0) {
      this.unmatched++;
      return;
    }
    const keys = this.versionKeyOf;
    let matched = false;
    for (; v >= 0; v = this.previousOfFile[v] as number) {
      const key = keys[v] as number;
      if (key <= previousKey) break;
      if (key > versionKey) continue;
      if (key === versionKey) matched = true;
      this.deliver(installUs, edgeServerIndex, v);
    }
    if (matched) return;
    if (this.supersededKeys.has(versionKey)) this.superseded++;
    else this.unmatched++;
  }

  private deliver(installUs: number, edgeServerIndex: number, v: number): void {
    let latencyUs = installUs - (this.acceptUsOf[v] as number);
    if (latencyUs < 0) {
      this.beforeAcceptance++;
      latencyUs = 0;
    }
    this.deliveryCount[v] = (this.deliveryCount[v] as number) + 1;
    (this.histogramBySize[this.sizeBucketOfVersion[v] as number] as LatencyHistogram).record(latencyUs);
    if (this.sampled[edgeServerIndex] !== 0) this.addSampleRow(edgeServerIndex, v, installUs);
  }

  private addSampleRow(edgeServerIndex: number, versionIndex: number, deliverUs: number): void {
    if (this.sampleRowCount === this.sampleEdgeServer.length) {
      const capacity = this.sampleRowCount * 2;
      const edge = new Int32Array(capacity);
      edge.set(this.sampleEdgeServer);
      const version = new Int32Array(capacity);
      version.set(this.sampleVersion);
      const deliver = new Float64Array(capacity);
      deliver.set(this.sampleDeliverUs);
      this.sampleEdgeServer = edge;
      this.sampleVersion = version;
      this.sampleDeliverUs = deliver;
    }
    const row = this.sampleRowCount++;
    this.sampleEdgeServer[row] = edgeServerIndex;
    this.sampleVersion[row] = versionIndex;
    this.sampleDeliverUs[row] = deliverUs;
  }

  get sampleRows(): number {
    this.installs.flush();
    return this.sampleRowCount;
  }

  /**
   * The sample's rows in the order propagation.csv states: by version (in order of acceptance), then edge server,
   * then delivery time. The rows are recorded in the order the host ran the installs, which depends on how far each
   * cluster ran ahead of the kernel's clock; this order does not, so the engine and the reference write the same file.
   */
  sampleOrder(): Int32Array {
    const rows = this.sampleRows;
    const version = this.sampleVersion;
    const edgeServer = this.sampleEdgeServer;
    const deliverUs = this.sampleDeliverUs;
    // By version first, by counting (3.6 M rows of 14,276 versions in the paper replay, where one sort of every row
    // with a comparator took about a second), then each version's rows (one per sampled receiver) sorted on their own.
    const versionCount = this.versionList.length;
    const groupStart = new Int32Array(versionCount + 1);
    for (let r = 0; r < rows; r++) {
      const after = (version[r] as number) + 1;
      groupStart[after] = (groupStart[after] as number) + 1;
    }
    for (let v = 0; v < versionCount; v++) groupStart[v + 1] = (groupStart[v + 1] as number) + (groupStart[v] as number);
    const next = groupStart.slice(0, versionCount);
    const order = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const v = version[r] as number;
      order[next[v] as number] = r;
      next[v] = (next[v] as number) + 1;
    }
    const byEdgeServerThenTime = (a: number, b: number): number => ((edgeServer[a] as number) - (edgeServer[b] as number))
      || ((deliverUs[a] as number) - (deliverUs[b] as number)) || (a - b);
    for (let v = 0; v < versionCount; v++) {
      const from = groupStart[v] as number;
      const to = groupStart[v + 1] as number;
      if (to - from > 1) order.subarray(from, to).sort(byEdgeServerThenTime);
    }
    return order;
  }

  /** Row r of the sample: [edgeServerIndex, versionIndex, deliverUs]. */
  sampleRow(r: number): [number, number, number] {
    this.installs.flush();
    return [this.sampleEdgeServer[r] as number, this.sampleVersion[r] as number, this.sampleDeliverUs[r] as number];
  }
}
