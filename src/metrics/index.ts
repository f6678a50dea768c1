// Public surface of the metrics package: histograms, exact series, size buckets, per-minute SP load,
// and the deterministic CSV / JSON writers inside an atomic output directory.
export { LatencyHistogram, HISTOGRAM_MAX_VALUE_US, HISTOGRAM_RELATIVE_ERROR_BOUND, type HistogramState, type LatencyHistogramOptions } from './histogram.js';
export { histogramFileText, parseHistogramFile } from './histogram-file.js';
export { ExactSeries, nearestRank } from './stats.js';
export {
  BYTES_PER_KB,
  BYTES_PER_MB,
  SIZE_BUCKET_COUNT,
  SIZE_BUCKET_LABELS,
  SIZE_BUCKET_UPPER_BOUNDS_BYTES,
  sizeBucketLabelOf,
  sizeBucketOf,
} from './size-buckets.js';
export { PerMinuteTable, SP_LOAD_CSV_HEADER } from './per-minute.js';
export { CsvWriter, DEFAULT_CSV_BATCH_ROWS, type CsvCell, type CsvWriterOptions } from './csv-writer.js';
export { formatOptionalSeconds, formatSeconds, secondsFromUs } from './format.js';
export { stableJson, type StableJsonOptions } from './json.js';
export { OutputDir, OutputDirError, OUTPUT_MARKER_FILE, addOutputFiles, listedOutputFiles, type OutputDirState } from './output-dir.js';
export { OVER_TIME_CSV_HEADER, WindowedQuantiles, overTimeWindowUs } from './windowed-quantiles.js';
