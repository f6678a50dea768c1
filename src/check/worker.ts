// Worker-thread entry point of `acmsim check`: runs the scenarios the pool sends, one at a time.
import { parentPort } from 'node:worker_threads';
import { runJob, type RunJob } from './run-one.js';

const port = parentPort;
if (port === null) throw new Error('check/worker.js must run as a worker thread');
port.on('message', (job: RunJob) => {
  port.postMessage(runJob(job));
});
