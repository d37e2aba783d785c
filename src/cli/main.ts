import { installInterruptHandlers } from './interrupt.js';
import { runCli } from './program.js';

installInterruptHandlers();
runCli(process.argv).then((code) => {
  process.exitCode = code;
});
