// Writes a run's results into its output directory, atomically: everything goes into a temporary
// sibling directory that the caller renames into place (OutputDir.commit) when every file is complete.
// Used by run and sweep.
import {
  OutputDir, SIZE_BUCKET_LABELS, formatOptionalSeconds, formatSeconds, SP_LOAD_CSV_HEADER,
  OVER_TIME_CSV_HEADER, WindowedQuantiles, histogramFileText, overTimeWindowUs,
} from '../metrics/index.js';
import { FAULT_TIMELINE_COLUMNS } from '../network/faults.js';
import type { ReferenceComparison } from './reference.js';
import type { RunResult } from '../run/run.js';
import type { VersionRecord } from '../world/run-metrics.js';
import type { Scenario } from '../scenario/index.js';
import { scenarioRecord } from './scenario-record.js';

export const SUBMISSIONS_HEADER = ['id', 'file', 'sizeBytes', 'submitS', 'acceptS', 'outcome', 'acceptingSp'];
/** submission: the row of submissions.csv whose version this is (its file, publisher, times); empty if none reported it. */
export const PROPAGATION_HEADER = ['receiver', 'cluster', 'isp', 'country', 'sizeBytes', 'acceptS', 'deliverS', 'latencyS', 'submission'];
export const BY_SIZE_HEADER = ['bucket', 'versions', 'deliveries', 'meanS', 'p50S', 'p95S', 'p99S'];

/** Opens the output directory first, so an unwritable --out fails before any simulating. */
export function openOutput(finalPath: string): OutputDir {
  return OutputDir.create(finalPath);
}

/**
 * Writes every data file; the caller commits (after adding the report, which is drawn from these files).
 * reference: the scenario's published figures beside the run's, written into summary.json when given.
 * scenario: written as scenario.json (the parameters a report lists) when given.
 */
export function writeOutputs(
  output: OutputDir, result: RunResult, wallS: number, reference: ReferenceComparison | null = null, scenario: Scenario | null = null,
): void {
  const { world, summary } = result;
  output.writeJson('summary.json', reference === null ? { ...summary, wallS } : { ...summary, wallS, reference });

  const submissions = output.openCsv('submissions.csv', SUBMISSIONS_HEADER);
  for (const row of world.submissions.rows) {
    const item = result.workload[row.index];
    if (item === undefined) continue;
    submissions.writeRow([
      row.index, item.fileName, item.sizeBytes, formatOptionalSeconds(row.submitUs < 0 ? null : row.submitUs),
      formatOptionalSeconds(row.outcome === 'accepted' ? row.acceptUs : null), row.outcome, row.acceptingSp < 0 ? '' : row.acceptingSp,
    ]);
  }
  submissions.close();

  const topology = world.topology;
  const versions = world.metrics.versions;
  const submissionOfVersion = new Map<number, number>();
  for (const row of world.submissions.rows) if (row.outcome === 'accepted') submissionOfVersion.set(row.versionKey, row.index);
  // The largest output (3.6 M rows in the paper replay): its rows are numbers and country codes, joined directly in the
  // same bytes csv-stringify writes (CsvWriterOptions.joinPlainRows), at about four times its speed.
  const propagation = output.openCsv('propagation.csv', PROPAGATION_HEADER, { joinPlainRows: true });
  const overTime = new WindowedQuantiles(overTimeWindowUs(summary.simulatedS * 1e6));
  const order = world.metrics.sampleOrder();
  for (let k = 0; k < order.length; k++) {
    const [edgeServer, versionIndex, deliverUs] = world.metrics.sampleRow(order[k] as number);
    const version = versions[versionIndex] as VersionRecord;
    overTime.add(version.acceptUs, Math.max(0, deliverUs - version.acceptUs));
    const address = topology.edgeServerAddress(edgeServer);
    propagation.writeRow([
      edgeServer, topology.nodeCluster[address] as number, topology.nodeIsp[address] as number,
      topology.countryCode(topology.nodeCountry[address] as number), version.sizeBytes,
      formatSeconds(version.acceptUs), formatSeconds(deliverUs), formatSeconds(Math.max(0, deliverUs - version.acceptUs)),
      submissionOfVersion.get(version.versionKey) ?? '',
    ]);
  }
  propagation.close();
  const overTimeCsv = output.openCsv('propagation-over-time.csv', OVER_TIME_CSV_HEADER);
  for (const row of overTime.rows()) overTimeCsv.writeRow(row);
  overTimeCsv.close();
  // Every delivery's latency, not only the sampled receivers': the CDF and the summary's percentiles come from it.
  output.writeText('propagation-histogram.json', histogramFileText(world.metrics.propagation));
  if (scenario !== null) output.writeJson('scenario.json', scenarioRecord(scenario));

  const bySize = output.openCsv('by-size.csv', BY_SIZE_HEADER);
  for (const label of SIZE_BUCKET_LABELS) {
    const row = summary.bySize[label];
    if (row === undefined) continue;
    bySize.writeRow([label, row.versions, row.deliveries, row.meanS, row.p50S, row.p95S, row.p99S]);
  }
  bySize.close();

  const spLoad = output.openCsv('sp-load.csv', SP_LOAD_CSV_HEADER);
  world.spLoad.writeCsv(spLoad, Math.ceil((summary.simulatedS * 1e6) / 60e6));
  spLoad.close();

  const faults = output.openCsv('faults.csv', [...FAULT_TIMELINE_COLUMNS]);
  for (const row of result.faultTimeline) faults.writeRow([row.timeS, row.kind, row.action, row.target, row.detail]);
  faults.close();
}
