// What a workload is: the time-ordered list of configuration submissions publishers make.

export interface WorkloadSubmission {
  /** Virtual time of the submission, integer microseconds from the start of the run. */
  readonly timeUs: number;
  /** Dense ids from 0, in order of each file's first submission. */
  readonly fileId: number;
  readonly fileName: string;
  readonly sizeBytes: number;
  /**
   * Publisher index in [0, topology.publishers). -1 when the trace named a country instead:
   * then publisherCountry holds the code and the integrator maps it to a publisher.
   */
  readonly publisher: number;
  readonly publisherCountry?: string;
}
