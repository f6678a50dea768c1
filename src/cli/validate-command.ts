// `acmsim validate <scenario...>`: loads and checks each file, printing one line per file.
import { loadScenario, ScenarioError } from '../scenario/index.js';
import { checkScenarioAgainstTopology } from '../run/run.js';

export function validateCommand(paths: readonly string[]): void {
  let bad = 0;
  for (const path of paths) {
    try {
      const scenario = loadScenario(path);
      checkScenarioAgainstTopology(scenario);
      process.stdout.write(`ok       ${path} (${scenario.name})\n`);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      bad++;
      process.stderr.write(`invalid  ${error.message}\n`);
    }
  }
  if (bad > 0) process.exit(2);
}
