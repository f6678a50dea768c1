#!/usr/bin/env node
// The acmsim command line. Wall-clock reads and terminal output live here, never in the simulation.
import { Command } from 'commander';
import { runDemo } from './demo.js';

const program = new Command();
program.name('acmsim').description('Deterministic discrete-event simulator of the Akamai Configuration Management System');

program
  .command('demo')
  .description('a small demonstration run of the kernel: two machines pinging over a fixed-latency link')
  .option('--seed <n>', 'run seed', '1')
  .action((options: { seed: string }) => {
    runDemo(Number(options.seed));
  });

program.parse();
