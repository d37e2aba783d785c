import type { Command } from 'commander';
import { IloManagement } from '../../index.js';
import { cliNode, withNodeOptions } from '../node-task.js';
import { printResult } from '../output.js';

/** `ironic-ilo sensors`. */
export function registerSensors(program: Command): void {
  withNodeOptions(
    program
      .command('sensors')
      .description("sensor readings from the iLO's embedded health, in Ironic's get_sensors_data shape"),
  ).action(async (opts) => {
    const { task, options } = cliNode(opts);
    const data = await new IloManagement(options).getSensorsData(task);
    if (opts.json === true) return printResult(data, true);
    for (const [type, sensors] of Object.entries(data)) {
      for (const [id, s] of Object.entries(sensors)) {
        process.stdout.write(
          `${type.padEnd(12)}  ${id.padEnd(28)}  ${s['Sensor Reading']?.padEnd(16)}  ${s.Status ?? ''}\n`,
        );
      }
    }
  });
}
