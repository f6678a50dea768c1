// Array-job descriptions of a sweep, ready to submit: a Slurm sbatch script (one array task per run,
// the index from SLURM_ARRAY_TASK_ID) and a Kubernetes Indexed Job (the index from JOB_COMPLETION_INDEX).
import type { SweepPlan } from './plan.js';

export interface EmitOptions {
  /** The compiled CLI: an absolute path for Slurm (a shared file system); relative to K8S_WORKDIR for k8s. */
  readonly cliPath: string;
  /** The sweep file and output directory as the job will see them (for k8s: relative to K8S_WORKDIR, and under K8S_RESULTS). */
  readonly sweepPath: string;
  readonly outDir: string;
  /** Array tasks (Slurm) or pods (k8s) running at once; undefined lets the scheduler decide (k8s: 8). */
  readonly parallel?: number;
  readonly image: string;
}

/** Where the k8s image holds the repository, and where the results volume is mounted. */
export const K8S_WORKDIR = '/acmsim';
export const K8S_RESULTS = '/results';

/** Node's heap flags as the acmsim command sets them (see src/cli/main.ts's first line). */
const NODE_FLAGS = '--max-old-space-size=1536 --max-semi-space-size=32';

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./=:-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function slurmScript(plan: SweepPlan, options: EmitOptions): string {
  const last = plan.runs.length - 1;
  const throttle = options.parallel === undefined ? '' : `%${options.parallel}`;
  return [
    '#!/bin/bash',
    `# acmsim sweep ${plan.file.name}: ${plan.points.length} points x ${plan.file.seeds.length} seeds = ${plan.runs.length} runs, one array task each.`,
    `# Submit: sbatch THIS_FILE. Then build the tables: node ${options.cliPath} sweep ${options.sweepPath} --collect ${options.outDir}`,
    '# Resubmitting skips the runs already complete in the output directory.',
    `#SBATCH --job-name=acmsim-${plan.file.name}`,
    `#SBATCH --array=0-${last}${throttle}`,
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=1',
    '#SBATCH --mem=2G',
    'set -euo pipefail',
    `exec node ${NODE_FLAGS} ${shellQuote(options.cliPath)} sweep ${shellQuote(options.sweepPath)} --out ${shellQuote(options.outDir)} --quiet`,
    '',
  ].join('\n');
}

export function kubernetesJob(plan: SweepPlan, options: EmitOptions): string {
  const name = `acmsim-sweep-${plan.file.name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 52).replace(/-+$/, '');
  const parallelism = Math.min(options.parallel ?? 8, plan.runs.length);
  const command = ['node', ...NODE_FLAGS.split(' '), options.cliPath, 'sweep', options.sweepPath, '--out', options.outDir, '--quiet'];
  return [
    `# acmsim sweep ${plan.file.name}: ${plan.runs.length} runs as an Indexed Job; each pod runs the run JOB_COMPLETION_INDEX.`,
    `# Needs an image holding the built repository (npm ci) at ${K8S_WORKDIR} and a ReadWriteMany volume claim acmsim-results.`,
    `# Submit: kubectl apply -f THIS_FILE. Then, on the volume: acmsim sweep ${options.sweepPath} --collect ${options.outDir}`,
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  completionMode: Indexed',
    `  completions: ${plan.runs.length}`,
    `  parallelism: ${parallelism}`,
    '  backoffLimitPerIndex: 1      # a failed run is retried once; acmsim records a run that fails inside the simulator and exits 1',
    '  template:',
    '    spec:',
    '      restartPolicy: Never',
    '      containers:',
    '        - name: acmsim',
    `          image: ${options.image}`,
    `          workingDir: ${K8S_WORKDIR}`,
    `          command: ${JSON.stringify(command)}`,
    '          resources:',
    '            requests: { cpu: "1", memory: 2Gi }',
    '            limits: { memory: 2Gi }',
    '          volumeMounts:',
    `            - { name: results, mountPath: ${K8S_RESULTS} }`,
    '      volumes:',
    '        - name: results',
    '          persistentVolumeClaim: { claimName: acmsim-results }',
    '',
  ].join('\n');
}
