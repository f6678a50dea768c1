// Bad input to `acmsim check` (paths, options, baseline directory): the command turns it into exit code 2.

export class CheckInputError extends Error {
  override name = 'CheckInputError';
}
