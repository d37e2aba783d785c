import { runCli } from './program.js';

process.on('SIGINT', () => process.exit(130));
runCli(process.argv).then((code) => {
  process.exitCode = code;
});
