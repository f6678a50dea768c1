// A problem with the files a report is drawn from (missing, malformed): bad input, not a bug, so the
// CLI prints the message alone and exits with code 2.
export class ReportInputError extends Error {
  override name = 'ReportInputError';
}
