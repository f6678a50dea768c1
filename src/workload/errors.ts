// The workload's own error: a bad trace file or row, located (file, line, column, column name) in the
// same format as every input error. The scenario loader reports it as a ScenarioError.
import { LocatedInputError } from '../input/located-error.js';

export class WorkloadError extends LocatedInputError {
  override name = 'WorkloadError';
}
